package io.skiff.rest.internal;

import org.osgi.service.component.annotations.Component;

import javax.ws.rs.core.Application;

/** The Skiff REST application, served at {@code /api/v1}. */
@Component(service = Application.class, property = {
        "osgi.jaxrs.application.base=/api/v1",
        "osgi.jaxrs.name=" + RestConstants.APP_NAME})
public class SkiffApplication extends Application {
}
