package io.skiff.rest.internal;

import io.skiff.api.model.CellStoragePool;
import io.skiff.api.service.CellInventoryService;
import io.skiff.api.service.RequiresPermission;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import java.util.List;

/** {@code /api/v1/storage-pools}: every cell's storage pools with capacity and free space. */
@Component(service = StoragePoolResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("storage-pools")
@Produces(MediaType.APPLICATION_JSON)
public class StoragePoolResource {

    @Reference
    private CellInventoryService inventory;

    @GET
    @RequiresPermission("storage.read")
    public List<CellStoragePool> list() {
        return inventory.storagePools();
    }
}
