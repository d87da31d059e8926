package io.skiff.rest.internal;

import com.fasterxml.jackson.jaxrs.json.JacksonJsonProvider;
import org.osgi.service.component.annotations.Component;

import javax.ws.rs.Consumes;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.ext.MessageBodyReader;
import javax.ws.rs.ext.MessageBodyWriter;

/** Reads and writes JSON bodies of the Skiff application with {@link JsonMapper}'s rules. */
@Component(service = {MessageBodyReader.class, MessageBodyWriter.class}, property = {
        RestConstants.EXTENSION, RestConstants.APP_SELECT,
        "osgi.jaxrs.media.type=application/json",
        "osgi.jaxrs.name=skiff.json"})
@Consumes({MediaType.APPLICATION_JSON, "application/*+json", "text/json"})
@Produces({MediaType.APPLICATION_JSON, "application/*+json", "text/json"})
public class JsonProvider extends JacksonJsonProvider {
    public JsonProvider() {
        super(JsonMapper.create());
    }
}
