package io.skiff.examples.storage.tree;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Skiff example: tree storage",
        description = "qcow2 volumes in a sharded directory tree (one directory per volume)")
public @interface TreeStorageConfig {

    @AttributeDefinition(description = "Root directory; each pool is a sub-directory. Empty: <karaf.data>/skiff/tree")
    String root() default "";

    @AttributeDefinition(name = "skiff.storage.pools",
            description = "Storage pools this backend serves (a service property: the cell routes disks in them here)")
    String[] skiff_storage_pools() default {"tree"};

    @AttributeDefinition(description = "The qemu-img executable")
    String qemuImg() default "qemu-img";
}
