package io.hotpass.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** The strict parser the manifest checks rely on refuses what the API server would refuse. */
class ManifestsTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: demo
            spec:
              replicas: 1
              selector:
                matchLabels: { app: demo }
              template:
                metadata:
                  labels: { app: demo }
                spec:
                  containers:
                    - name: demo
                      image: example/demo:1
                      securityContext:
                        readOnlyRootFilesystem: true
            """;

    @Test
    void parsesAValidManifest() {
        Manifests m = Manifests.parse("# a comment only\n---\n" + DEPLOYMENT);
        assertEquals(1, m.ofType(Deployment.class).size());
    }

    @Test
    void refusesAMisspeltField() {
        AssertionError error = assertThrows(AssertionError.class,
                () -> Manifests.parse(DEPLOYMENT.replace("readOnlyRootFilesystem", "readOnlyRootFilesytem")));
        assertTrue(error.getMessage().contains("securityContext.readOnlyRootFilesytem"), error.getMessage());
    }

    @Test
    void refusesAFieldAtTheWrongLevel() {
        AssertionError error = assertThrows(AssertionError.class,
                () -> Manifests.parse(DEPLOYMENT.replace("  replicas: 1", "  replicas: 1\n  serviceAccountName: x")));
        assertTrue(error.getMessage().contains("Deployment/demo.spec.serviceAccountName"), error.getMessage());
    }

    @Test
    void refusesAWrongType() {
        assertThrows(RuntimeException.class, () -> Manifests.parse(DEPLOYMENT.replace("replicas: 1", "replicas: one")));
    }
}
