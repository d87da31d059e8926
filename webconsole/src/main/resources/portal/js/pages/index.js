// The portal's pages, in navigation order. A new page is a module with {route, nav?, permission?, render,
// refresh?, leave?} plus its messages in i18n/*.json, and one line here.
import dashboard from './dashboard.js';
import pools from './pools.js';
import cells from './cells.js';
import instances from './instances.js';
import instance from './instance.js';
import consolePage from './console.js';
import images from './images.js';
import storage from './storage.js';
import tasks from './tasks.js';
import providers from './providers.js';
import signinPage from './signin.js';
import passwordPage from './password.js';
import users from './users.js';
import groups from './groups.js';
import roles from './roles.js';
import oplog from './oplog.js';
import addressPools from './addresspools.js';
import metrics from './metrics.js';

export const pages = [dashboard, pools, cells, instances, instance, consolePage, images, storage, tasks, providers,
  signinPage, passwordPage, users, groups, roles, oplog, addressPools, metrics];
export const signin = signinPage;
export const password = passwordPage;
