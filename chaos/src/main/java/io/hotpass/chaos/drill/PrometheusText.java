package io.hotpass.chaos.drill;

/** Reads one metric out of the Prometheus text exposition format (as /q/metrics serves it). */
public final class PrometheusText {

    private PrometheusText() {
    }

    /** The sum of every sample of {@code name} over its label sets; null when there is none. */
    public static Double sum(String text, String name) {
        Double total = null;
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#' || !line.startsWith(name)) {
                continue;
            }
            String rest = line.substring(name.length());
            if (!rest.isEmpty() && rest.charAt(0) != '{' && rest.charAt(0) != ' ') {
                continue; // another metric whose name starts with this one
            }
            if (rest.startsWith("{")) {
                int close = rest.lastIndexOf('}');
                if (close < 0) {
                    continue;
                }
                rest = rest.substring(close + 1);
            }
            String[] parts = rest.trim().split("\\s+");
            try {
                double v = Double.parseDouble(parts[0]);
                total = total == null ? v : total + v;
            } catch (NumberFormatException e) {
                // NaN or a malformed line: not a sample we can add
            }
        }
        return total;
    }
}
