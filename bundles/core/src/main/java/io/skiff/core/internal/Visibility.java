package io.skiff.core.internal;

import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.IdentityService;
import io.skiff.api.service.SkiffException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one place where the Core applies visibility for REST, shell and portal alike: a caller sees a resource when the
 * identity service says so ({@link IdentityService#canSee}: its own, its sharing group's, all with
 * {@code resource.all}); a resource it may not see is answered exactly like one that does not exist, and lists leave
 * it out. Without the identity service (no skiff-auth) every resource is visible, and a new resource's group is its
 * owner.
 *
 * <p>As a DS component it binds the identity service optionally, dynamically and greedily, for the catalogues; the
 * instance capabilities build one on the identity service their component binds.
 */
@Component(service = Visibility.class)
public final class Visibility {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile IdentityService bound;

    private final Supplier<IdentityService> identity;

    /** The DS component: the identity service as DS binds and unbinds it. */
    public Visibility() {
        this.identity = () -> bound;
    }

    /** @param identity the identity service as it comes and goes ({@code null} when absent) */
    public Visibility(Supplier<IdentityService> identity) {
        this.identity = identity;
    }

    /** @return whether the caller may see a resource with this owner and group */
    public boolean canSee(AuthenticatedUser caller, String owner, String group) {
        IdentityService i = identity.get();
        return i == null || i.canSee(caller, owner, group);
    }

    /**
     * @return whether the caller sees every resource ({@link IdentityService#seesAll}, or there is no identity
     *     service), so that a long list need not ask about each one
     */
    public boolean seesAll(AuthenticatedUser caller) {
        IdentityService i = identity.get();
        return i == null || i.seesAll(caller);
    }

    /**
     * @param notFound the answer for a resource that does not exist, given for one the caller may not see
     * @return the resource, when the caller may see it
     */
    public <T> T require(T resource, AuthenticatedUser caller, String owner, String group,
                         Supplier<SkiffException> notFound) {
        if (!canSee(caller, owner, group)) {
            throw notFound.get();
        }
        return resource;
    }

    /** @return the resources the caller may see, in their order */
    public <T> List<T> filter(List<T> all, AuthenticatedUser caller, Function<T, String> owner,
                              Function<T, String> group) {
        return all.stream().filter(r -> canSee(caller, owner.apply(r), group.apply(r))).toList();
    }

    /** @return the group a resource the caller creates belongs to (its name without the identity service) */
    public String groupOf(AuthenticatedUser caller) {
        IdentityService i = identity.get();
        return i == null ? caller.name() : i.groupOf(caller.name());
    }
}
