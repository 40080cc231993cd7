package io.hotpass.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Rendered manifests parsed with the fabric8 Kubernetes model. The model keeps fields it does not
 * know in {@code additionalProperties} instead of failing, so {@link #parse} walks every parsed
 * object and rejects any such field: a misspelt or misplaced field fails here as the API server
 * would refuse it. Custom resources without a model class parse as {@link GenericKubernetesResource}.
 */
final class Manifests {

    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    /** fabric8's serializer, which knows every model type on the class path (core, monitoring, Gateway API). */
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final List<HasMetadata> resources;

    private Manifests(List<HasMetadata> resources) {
        this.resources = List.copyOf(resources);
    }

    static Manifests parse(String multiDocumentYaml) {
        List<HasMetadata> parsed = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(multiDocumentYaml)) {
            if (document.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
                continue;
            }
            Object object = SERIALIZATION.unmarshal(document);
            if (!(object instanceof HasMetadata resource)) {
                throw new AssertionError("Not a Kubernetes resource: " + document);
            }
            String where = resource.getKind() + "/" + resource.getMetadata().getName();
            List<String> unknown = unknownFields(resource, where);
            if (!unknown.isEmpty()) {
                throw new AssertionError("Fields the Kubernetes schema does not know: " + unknown);
            }
            parsed.add(resource);
        }
        return new Manifests(parsed);
    }

    List<HasMetadata> all() {
        return resources;
    }

    <T extends HasMetadata> List<T> ofType(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<GenericKubernetesResource> ofKind(String apiVersion, String kind) {
        return resources.stream()
                .filter(r -> r instanceof GenericKubernetesResource && kind.equals(r.getKind()) && apiVersion.equals(r.getApiVersion()))
                .map(GenericKubernetesResource.class::cast)
                .toList();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return find(type, r -> name.equals(r.getMetadata().getName()))
                .orElseThrow(() -> new AssertionError("No " + type.getSimpleName() + " named " + name));
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, Predicate<T> predicate) {
        return ofType(type).stream().filter(predicate).findFirst();
    }

    List<Deployment> deployments() {
        return ofType(Deployment.class);
    }

    /** Fields held in additionalProperties anywhere under a typed model object, with their paths. */
    static List<String> unknownFields(Object root, String path) {
        List<String> found = new ArrayList<>();
        walk(root, path, found, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    private static void walk(Object value, String path, List<String> found, Set<Object> seen) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Enum<?>) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, found, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.") || !seen.add(value)) {
            return;
        }
        if (value instanceof GenericKubernetesResource) {
            // A custom resource without a model: only its envelope can be checked here.
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = getter.getName();
            if (!(name.startsWith("get") || name.startsWith("is")) || name.equals("getClass")) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (name.equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> found.add(path + "." + k));
                }
                continue;
            }
            walk(child, path + "." + propertyName(name), found, seen);
        }
    }

    private static String propertyName(String getter) {
        String bare = getter.startsWith("is") ? getter.substring(2) : getter.substring(3);
        return bare.isEmpty() ? bare : Character.toLowerCase(bare.charAt(0)) + bare.substring(1);
    }
}
