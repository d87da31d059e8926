package io.skiff.rest.internal;

import io.skiff.api.model.DiskImage;
import io.skiff.api.service.AuthService;
import io.skiff.api.service.IdentityService;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.ImageService;
import io.skiff.api.service.ImageUploadResult;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.UploadSpec;
import io.skiff.api.service.Pager;
import io.skiff.api.service.SkiffException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.servlet.http.HttpServletResponse;
import javax.ws.rs.BeanParam;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/images}: the disk image catalogue. */
@Component(service = ImageResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("images")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ImageResource {
    private static final Pager<DiskImage> PAGER = new Pager<>(DiskImage::id, "name", Map.of(
            "name", DiskImage::name, "createdAt", i -> Pager.instantKey(i.createdAt()), "id", DiskImage::id));

    @Reference
    private ImageService images;

    @Reference
    private AuthService auth;

    @Reference
    private IdentityService identity;

    /** The signed-in caller; the catalogue answers only about the images it may see. */
    private AuthenticatedUser caller() {
        return Callers.current(security, identity);
    }

    @Context
    private SecurityContext security;

    @Context
    private HttpServletResponse response;

    @Context
    private UriInfo uri;

    /**
     * Lists the catalogue by name (or {@code sort}: {@code name}, {@code createdAt}, {@code id}, {@code -} before for
     * descending); {@code name} matches part of the name (any case), {@code tag} a tag; paged with {@code limit} and
     * {@code cursor} (see {@link Paging}).
     */
    @GET
    @RequiresPermission("image.read")
    public List<DiskImage> list(@QueryParam("name") String name, @QueryParam("tag") String tag,
                                @BeanParam PageParams page) {
        AuthenticatedUser caller = caller();
        return Paging.answer(PAGER, name == null && tag == null ? images.list(caller) : images.search(name, tag, caller),
                page, uri, response);
    }

    /**
     * Uploads an image (qcow2 or raw) as the request body, streamed to disk (never whole in memory), as a task whose
     * progress follows the bytes ({@code GET /tasks/{id}} while it runs). Answers 201 with the image and the finished
     * task once the file is checked: a truncated body (fewer than {@code sizeBytes}, or than Content-Length), a
     * wrong {@code sha256} or {@code format} is a 400 naming that field, and nothing stays behind.
     */
    @POST
    @Path("upload")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @RequiresPermission("image.write")
    public Response upload(@QueryParam("name") String name, @QueryParam("tag") List<String> tags,
                           @QueryParam("sizeBytes") Long sizeBytes, @QueryParam("sha256") String sha256,
                           @QueryParam("format") String format,
                           @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream content) {
        long size = Uploads.size(sizeBytes, contentLength);
        ImageUploadResult result = images.upload(new UploadSpec(name, tags, size, sha256, format), content, caller());
        return Response.created(URI.create("images/" + result.image().id()))
                .header(Uploads.TASK_HEADER, result.task().id()).entity(result).build();
    }

    @GET
    @Path("{id}")
    @RequiresPermission("image.read")
    public DiskImage get(@PathParam("id") String id) {
        return images.get(id, caller());
    }

    /** Imports an image file that already is on the Core's host (admins only). */
    @POST
    @RequiresPermission("image.import")
    public Response importFile(Requests.ImageImport body) {
        Requests.required(body);
        DiskImage image = images.importFile(body.name(), body.path(), caller());
        return Response.created(URI.create("images/" + image.id())).entity(image).build();
    }

    /**
     * Where a cell uploads a disk it captured from a stopped instance ({@code POST /instances/{id}/image}), with the
     * one-time token the Core gave it for this image.
     */
    @PUT
    @Path("{id}/content")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @PublicAccess
    public Response receiveCapture(@PathParam("id") String id,
                                   @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                   @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream content) {
        String token = AuthFilter.bearerToken(authorization);
        if (token == null || !images.expectsCapture(id, token)) {
            throw new SkiffException(SkiffException.Kind.UNAUTHENTICATED, "unauthenticated",
                    "uploads to /images/{id}/content need the capture token the Core gave a cell", null);
        }
        DiskImage image = images.receiveCapture(id, token, Uploads.size(null, contentLength), content);
        return Response.created(URI.create("images/" + image.id())).entity(image).build();
    }

    @DELETE
    @Path("{id}")
    @RequiresPermission("image.write")
    public Response delete(@PathParam("id") String id) {
        images.delete(id, caller());
        return Response.noContent().build();
    }

    /**
     * Streams an image's file: to users with {@code image.read}, or to a cell holding a one-time transfer token
     * from the Core (as a bearer token).
     */
    @GET
    @Path("{id}/content")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @PublicAccess
    public Response content(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        // the transfer token first, then the user: wrong credentials are a 401 before anything is looked up
        String token = AuthFilter.bearerToken(authorization);
        DiskImage image = token != null && images.redeemTransferToken(id, token) ? images.get(id)
                : images.get(id, Downloads.reader(auth, authorization)); // 404 for an image the reader may not see
        return Downloads.file(() -> images.open(image.id()), image.sizeBytes(), image.sha256(),
                image.name() + "." + image.format());
    }
}
