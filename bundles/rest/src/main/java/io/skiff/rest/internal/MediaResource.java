package io.skiff.rest.internal;

import io.skiff.api.model.MediaImage;
import io.skiff.api.service.MediaService;
import io.skiff.api.service.MediaUploadResult;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.UploadSpec;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import java.io.InputStream;
import java.net.URI;
import java.util.List;

/** {@code /api/v1/media}: ISO media for instances' CD-ROM drives. */
@Component(service = MediaResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("media")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MediaResource {

    @Reference
    private MediaService media;

    @Context
    private SecurityContext security;

    @Reference
    private io.skiff.api.service.IdentityService identity;

    /** The signed-in caller; the catalogue answers only about the media it may see. */
    private io.skiff.api.service.AuthenticatedUser caller() {
        return Callers.current(security, identity);
    }

    @GET
    @RequiresPermission("image.read")
    public List<MediaImage> list() {
        return media.list(caller());
    }

    @GET
    @Path("{id}")
    @RequiresPermission("image.read")
    public MediaImage get(@PathParam("id") String id) {
        return media.get(id, caller());
    }

    /**
     * Uploads an ISO 9660 image as the streamed request body, as a task whose progress follows the bytes; 201 with
     * the medium and the task, or 400 naming the field at fault (truncated, checksum, not an ISO), nothing left.
     */
    @POST
    @Path("upload")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @RequiresPermission("image.write")
    public Response upload(@QueryParam("name") String name, @QueryParam("sizeBytes") Long sizeBytes,
                           @QueryParam("sha256") String sha256,
                           @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream content) {
        MediaUploadResult result = media.upload(new UploadSpec(name, List.of(), Uploads.size(sizeBytes,
                contentLength), sha256, "iso"), content, caller());
        return Response.created(URI.create("media/" + result.medium().id()))
                .header(Uploads.TASK_HEADER, result.task().id()).entity(result).build();
    }

    @DELETE
    @Path("{id}")
    @RequiresPermission("image.write")
    public Response delete(@PathParam("id") String id) {
        media.delete(id, caller());
        return Response.noContent().build();
    }

    @Reference
    private io.skiff.api.service.AuthService auth;

    /**
     * Streams a medium's file with its length and SHA-256: to users with {@code image.read} who may see it, or to a
     * cell holding a one-time transfer token from the Core (as a bearer token) for an instance's media drive.
     */
    @GET
    @Path("{id}/content")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @PublicAccess
    public Response content(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        // the transfer token first, then the user: wrong credentials are a 401 before anything is looked up
        String token = AuthFilter.bearerToken(authorization);
        MediaImage medium = token != null && media.redeemTransferToken(id, token) ? media.get(id)
                : media.get(id, Downloads.reader(auth, authorization)); // 404 for a medium the reader may not see
        return Downloads.file(() -> media.open(medium.id()), medium.sizeBytes(), medium.sha256(), medium.name() + ".iso");
    }
}
