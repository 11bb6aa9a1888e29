package org.mio.api.annotations;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/** Publishes the service property {@code mio.renderer.kind} of a renderer component. */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface RendererKind {
    /** Prefix of the property name. */
    String PREFIX_ = "mio.";

    /** The kind, lowercase with dashes, e.g. {@code jfreechart}. */
    String value();
}
