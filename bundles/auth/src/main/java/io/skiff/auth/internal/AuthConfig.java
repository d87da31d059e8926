package io.skiff.auth.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Skiff authentication", description = "Accounts, sign-in and bearer tokens")
public @interface AuthConfig {

    @AttributeDefinition(description = "Name of the JAAS realm Skiff registers (the one the shell and SSH use)")
    String realm() default "karaf";

    @AttributeDefinition(description = "Lifetime of a bearer token from POST /api/v1/sessions (minutes)")
    int tokenTtlMinutes() default 480;

    @AttributeDefinition(description = "PBKDF2-HMAC-SHA256 iterations for new password hashes")
    int passwordIterations() default 120000;

    @AttributeDefinition(description = "Minimum length of a new password")
    int passwordMinLength() default 8;

    @AttributeDefinition(description = "Whether a new password must contain a letter and a digit")
    boolean passwordRequireLetterAndDigit() default false;

    @AttributeDefinition(description = "How long a verified HTTP Basic password is remembered (seconds, 0: never)")
    int basicCacheSeconds() default 60;
}
