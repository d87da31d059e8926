package io.skiff.rest.internal;

import org.osgi.service.component.annotations.Component;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.core.MultivaluedMap;

/**
 * Headers on every answer of the API, refusals included: nothing is kept by a cache ({@code Cache-Control:
 * no-store}: answers hold session tokens and the data of instances and users), no content sniffing, and no
 * page may frame or run an answer ({@code Content-Security-Policy: default-src 'none'; frame-ancestors 'none'}).
 */
@Component(service = ContainerResponseFilter.class, property = {RestConstants.EXTENSION, RestConstants.APP_SELECT,
        "osgi.jaxrs.name=skiff.security-headers"})
public class SecurityHeadersFilter implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        MultivaluedMap<String, Object> headers = response.getHeaders();
        headers.putSingle("Cache-Control", "no-store");
        headers.putSingle("X-Content-Type-Options", "nosniff");
        headers.putSingle("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }
}
