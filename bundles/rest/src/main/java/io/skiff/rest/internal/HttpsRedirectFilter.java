package io.skiff.rest.internal;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

/**
 * Optional HTTP → HTTPS redirect for everything served by the web container's default context (API and
 * portal): a plain-HTTP request is answered 308 with the same path on the HTTPS port, so methods and bodies
 * are kept. Off by default ({@code etc/io.skiff.tls.cfg}).
 */
@Component(service = {}, immediate = true, configurationPid = "io.skiff.tls")
@Designate(ocd = HttpsRedirectFilter.Config.class)
public class HttpsRedirectFilter implements Filter {

    @ObjectClassDefinition(name = "Skiff TLS", description = "HTTPS for the API and the portal")
    public @interface Config {
        @AttributeDefinition(description = "Redirect plain HTTP requests to HTTPS")
        boolean redirectToHttps() default false;

        @AttributeDefinition(description = "The HTTPS port to redirect to (Pax Web's org.osgi.service.http.port.secure)")
        int httpsPort() default 8443;
    }

    private final boolean redirect;
    private final int httpsPort;
    private final List<ServiceRegistration<Filter>> registrations = new ArrayList<>();

    /**
     * Registers the filter with the HTTP whiteboard only when the redirect is on: a whiteboard filter on every
     * context would also sit in front of the console's WebSocket upgrade.
     */
    @Activate
    public HttpsRedirectFilter(Config config, BundleContext context) {
        this.redirect = config.redirectToHttps();
        this.httpsPort = config.httpsPort();
        if (redirect && context != null) {
            // the portal in the default context (not /console/*: a browser on HTTPS opens the console's
            // WebSocket over HTTPS anyway, and a filter in front of the upgrade would break it) ...
            register(context, "/portal/*", "(osgi.http.whiteboard.context.name=default)", "skiff-https-redirect-portal");
            // ... and everything in the context the JAX-RS whiteboard serves /api/v1 from
            register(context, "/*", "(osgi.http.whiteboard.context.name=context.for*)", "skiff-https-redirect-api");
        }
    }

    private void register(BundleContext context, String pattern, String contextSelect, String name) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.filter.pattern", pattern);
        props.put("osgi.http.whiteboard.filter.name", name);
        props.put("osgi.http.whiteboard.context.select", contextSelect);
        registrations.add(context.registerService(Filter.class, this, props));
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<Filter> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException ignored) {
                // gone with the bundle
            }
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (redirect && !request.isSecure() && request instanceof HttpServletRequest http
                && response instanceof HttpServletResponse answer) {
            String query = http.getQueryString();
            String host = http.getServerName();
            if (host.contains(":")) {
                host = "[" + host + "]";
            }
            answer.setStatus(308);
            answer.setHeader("Location", "https://" + host + ":" + httpsPort + http.getRequestURI()
                    + (query == null ? "" : "?" + query));
            return;
        }
        chain.doFilter(request, response);
    }
}
