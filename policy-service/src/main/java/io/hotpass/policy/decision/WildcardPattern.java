package io.hotpass.policy.decision;

import com.googlecode.aviator.runtime.function.FunctionUtils;
import com.googlecode.aviator.runtime.type.AviatorBoolean;
import com.googlecode.aviator.runtime.type.AviatorObject;
import java.util.Map;
import org.casbin.jcasbin.util.function.CustomFunction;

/**
 * The pattern match used for actions and resources: {@code *} stands for any run of characters
 * (including none, {@code :} and {@code /}), anywhere in the pattern; everything else is literal and
 * the whole value must match.
 *
 * <p>Why not jCasbin's built-in {@code keyMatch}: it compares only the text before the first
 * {@code *} and ignores the rest, so {@code *:read} would match {@code ingest:dataset:delete} and a
 * viewer could write. {@code keyMatch2..5} treat {@code :name} as a path parameter and {@code globMatch}
 * stops {@code *} at {@code /}; none fits {@code service:object:verb} actions and
 * {@code tenant/...} resources at once.
 */
public final class WildcardPattern extends CustomFunction {

    public static final String FUNCTION = "wildcardMatch";

    /** Whether {@code value} matches {@code pattern}; linear for the patterns policies use. */
    public static boolean matches(String value, String pattern) {
        int v = 0;
        int p = 0;
        int star = -1;
        int mark = 0;
        while (v < value.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = v;
            } else if (p < pattern.length() && pattern.charAt(p) == value.charAt(v)) {
                p++;
                v++;
            } else if (star >= 0) {
                p = star + 1;
                v = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public AviatorObject call(Map<String, Object> env, AviatorObject value, AviatorObject pattern) {
        return AviatorBoolean.valueOf(matches(FunctionUtils.getStringValue(value, env),
                FunctionUtils.getStringValue(pattern, env)));
    }

    @Override
    public String getName() {
        return FUNCTION;
    }
}
