package io.skiff.rest.internal;

import org.osgi.service.component.annotations.Activate;
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

/**
 * Optional HTTP → HTTPS redirect for everything served by the web container's default context (API and
 * portal): a plain-HTTP request is answered 308 with the same path on the HTTPS port, so methods and bodies
 * are kept. Off by default ({@code etc/io.skiff.tls.cfg}).
 */
@Component(service = Filter.class, configurationPid = "io.skiff.tls", property = {
        "osgi.http.whiteboard.filter.pattern=/*",
        "osgi.http.whiteboard.filter.name=skiff-https-redirect",
        // every context: the portal's (default) and the one the JAX-RS whiteboard serves /api/v1 from
        "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=*)"})
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

    @Activate
    public HttpsRedirectFilter(Config config) {
        this.redirect = config.redirectToHttps();
        this.httpsPort = config.httpsPort();
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
