package io.skiff.api.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The permission (a name in {@link Permissions#CATALOG}, e.g. {@code pool.write}) an operation needs: on a REST
 * resource method, checked before the method runs; on a shell command class, checked before the command runs.
 * The one catalogue of which operation needs which permission is these annotations.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresPermission {
    /** @return the permission's name */
    String value();
}
