package io.hotpass.lineage.graph;

import java.util.List;

/** Marquez's lineage graph shape: {@code {"graph": [{id, type, data, inEdges, outEdges}]}}. */
public final class GraphViews {

    private GraphViews() {
    }

    public record Edge(String origin, String destination) {
    }

    public record Node(String id, String type, Object data, List<Edge> inEdges, List<Edge> outEdges) {
    }

    public record Graph(List<Node> graph) {
    }

    public record InputField(String namespace, String dataset, String datasetVersion, String field,
            String transformationDescription, String transformationType) {
    }

    public record FieldData(String namespace, String dataset, String datasetVersion, String field, String fieldType,
            String transformationDescription, String transformationType, List<InputField> inputFields) {
    }
}
