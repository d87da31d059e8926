package io.skiff.rest.internal;

import io.skiff.api.service.AuthService;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.SkiffException;

import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * What the file downloads of {@code /images/{id}/content} and {@code /media/{id}/content} share: a cell comes with
 * a one-time transfer token from the Core as its bearer token, a user with {@code image.read}; the file is streamed
 * with its length and SHA-256.
 */
final class Downloads {
    /** Response header of a download carrying the file's SHA-256 (hex). */
    static final String SHA256_HEADER = "X-Skiff-Sha256";

    private Downloads() {
    }

    /**
     * The user downloading without a transfer token ({@code @PublicAccess} resources check this themselves).
     *
     * @throws SkiffException unauthenticated, or forbidden when the user lacks {@code image.read}
     */
    static AuthenticatedUser reader(AuthService auth, String authorization) {
        AuthenticatedUser user = AuthFilter.authenticate(auth, authorization);
        if (!user.hasPermission("image.read")) {
            throw new SkiffException(SkiffException.Kind.FORBIDDEN, "forbidden",
                    "user '" + user.name() + "' lacks permission 'image.read'", null);
        }
        return user;
    }

    /** @return 200 streaming the file that {@code content} opens, as an attachment named {@code fileName} */
    static Response file(Supplier<InputStream> content, long sizeBytes, String sha256, String fileName) {
        StreamingOutput body = out -> {
            try (InputStream in = content.get()) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Content-Length", sizeBytes)
                .header(SHA256_HEADER, sha256)
                .header("Content-Disposition", "attachment; filename=\"" + fileName + "\"")
                .build();
    }
}
