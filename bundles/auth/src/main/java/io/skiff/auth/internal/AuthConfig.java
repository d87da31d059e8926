package io.skiff.auth.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Skiff authentication", description = "Sign-in and bearer tokens")
public @interface AuthConfig {

    @AttributeDefinition(description = "JAAS realm that checks passwords (the one the shell and SSH use)")
    String realm() default "karaf";

    @AttributeDefinition(description = "Lifetime of a bearer token from POST /api/v1/sessions (minutes)")
    int tokenTtlMinutes() default 480;

    @AttributeDefinition(description = "Users file of the properties login module, empty: <karaf.etc>/users.properties")
    String usersFile() default "";
}
