package io.hotpass.contracts.profile;

import java.util.List;
import java.util.Map;

/**
 * The profile of one column of a dataset version. {@code distinct} is a HyperLogLog estimate
 * (lgK 12, about 1.6% relative error); {@code quantiles} come from a KLL sketch (k 200, rank
 * error about 1.3%); {@code topValues} from a frequent-items sketch (counts are estimates with
 * no false negatives above the sketch's error).
 */
public record ColumnProfile(String name, String type, long count, long nulls, long distinct, Object min, Object max,
        Double mean, Map<String, Double> quantiles, List<TopValue> topValues, Length length, long otherCount) {

    public record TopValue(String value, long count) {
    }

    public record Length(int min, int max, double mean) {
    }
}
