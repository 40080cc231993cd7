package io.hotpass.contracts.engine;

/**
 * A contract pattern evaluated fast and never for long. {@code java.util.regex} runs first, on a
 * {@link CharSequence} that counts every character the matcher reads and stops it when a budget
 * ({@value #BASE_STEPS} + {@value #STEPS_PER_CHAR} × length) runs out; only then does RE2J, whose
 * time is linear in the input for every pattern, give the answer. Catastrophic backtracking
 * therefore costs at most the budget, and every answer is exact. RE2J alone would be safe too, but
 * about ten times slower per value on the usual patterns (ADR 0007).
 *
 * <p>Contracts are checked against RE2 syntax at registration (no backreferences or lookaround),
 * and the two engines agree on that syntax except where {@code java.util.regex}'s {@code $} also
 * matches before a final line break: a "yes" for a value ending in one is confirmed with RE2J.
 */
public final class BoundedPattern {

    static final int BASE_STEPS = 10_000;
    static final int STEPS_PER_CHAR = 200;

    private final java.util.regex.Pattern fast;
    private final com.google.re2j.Pattern safe;
    private long fallbacks;

    public BoundedPattern(String regex) {
        this.safe = com.google.re2j.Pattern.compile(regex);
        java.util.regex.Pattern f;
        try {
            f = java.util.regex.Pattern.compile(regex);
        } catch (java.util.regex.PatternSyntaxException e) {
            f = null; // RE2-only syntax such as (?P<name>…): RE2J answers every value
        }
        this.fast = f;
    }

    /** Whether the pattern occurs in {@code s} (unanchored, like JSON Schema's {@code pattern}). */
    public boolean find(String s) {
        if (fast != null) {
            try {
                boolean found = fast.matcher(new Budget(s, BASE_STEPS + (long) STEPS_PER_CHAR * s.length())).find();
                if (!found || !endsWithLineBreak(s)) {
                    return found;
                }
            } catch (Budget.Exhausted e) {
                fallbacks++;
            }
        }
        return safe.matcher(s).find();
    }

    /** How many values needed RE2J because the backtracking budget ran out. */
    public long fallbacks() {
        return fallbacks;
    }

    private static boolean endsWithLineBreak(String s) {
        if (s.isEmpty()) {
            return false;
        }
        char c = s.charAt(s.length() - 1);
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    /** The value, read through a step counter. */
    static final class Budget implements CharSequence {
        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super("pattern step budget exhausted", null, false, false);
            }
        }

        private static final Exhausted EXHAUSTED = new Exhausted();
        private final String s;
        private long left;

        Budget(String s, long steps) {
            this.s = s;
            this.left = steps;
        }

        @Override
        public char charAt(int index) {
            if (--left < 0) {
                throw EXHAUSTED;
            }
            return s.charAt(index);
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return s.subSequence(start, end);
        }

        @Override
        public String toString() {
            return s;
        }
    }
}
