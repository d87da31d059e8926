package io.skiff.rest.internal;

import io.skiff.api.service.AuthService;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.SessionToken;
import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the Authorization header is read: Basic or Bearer, anything else refused with 401. */
class AuthFilterTest {

    /** Accepts admin/secret and the token "good". */
    private static final AuthService AUTH = new AuthService() {
        @Override
        public AuthenticatedUser login(String user, String password) {
            if (user.equals("admin") && password.equals("se:cret")) {
                return new AuthenticatedUser(user, Set.of("admin"));
            }
            throw new SkiffException(SkiffException.Kind.UNAUTHENTICATED, "unauthenticated", "wrong", null);
        }

        @Override
        public SessionToken createSession(String user, String password) {
            return new SessionToken("good", login(user, password).name(), Instant.MAX);
        }

        @Override
        public AuthenticatedUser verifyToken(String token) {
            if (token.equals("good")) {
                return new AuthenticatedUser("admin", Set.of("admin"));
            }
            throw new SkiffException(SkiffException.Kind.UNAUTHENTICATED, "unauthenticated", "bad token", null);
        }

        @Override
        public void revokeToken(String token) {
        }

        @Override
        public boolean adminReady() {
            return true;
        }
    };

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void basicWithColonInPassword() {
        assertEquals("admin", AuthFilter.authenticate(AUTH, basic("admin:se:cret")).name());
    }

    @Test
    void bearerToken() {
        assertEquals("admin", AuthFilter.authenticate(AUTH, "Bearer good").name());
        assertEquals("admin", AuthFilter.authenticate(AUTH, "bearer good").name());
    }

    @Test
    void refusals() {
        for (String header : new String[] {null, "", "Bearer bad", basic("admin:wrong"), basic("no-colon"),
                "Basic !!!notbase64", "Digest abc"}) {
            SkiffException e = assertThrows(SkiffException.class, () -> AuthFilter.authenticate(AUTH, header),
                    String.valueOf(header));
            assertEquals(SkiffException.Kind.UNAUTHENTICATED, e.kind());
        }
    }

    /** Only health, the OpenAPI document and sign-in pass the pre-matching filter without credentials. */
    @Test
    void publicRequestsAreFewAndNamedByMethodAndPath() {
        assertTrue(AuthenticateFirstFilter.isPublic("GET", "health"));
        assertTrue(AuthenticateFirstFilter.isPublic("GET", "openapi.json"));
        assertTrue(AuthenticateFirstFilter.isPublic("POST", "sessions"));
        for (String[] request : new String[][] {{"DELETE", "sessions"}, {"POST", "health"}, {"GET", "sessions"},
                {"GET", "images/x/content"}, {"PUT", "images/x/content"}, {"GET", "health/x"}, {"GET", ""},
                {"GET", "instances"}}) {
            assertFalse(AuthenticateFirstFilter.isPublic(request[0], request[1]), String.join(" ", request));
        }
    }
}
