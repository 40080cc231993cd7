package bench;

import com.amazon.deequ.VerificationResult;
import com.amazon.deequ.VerificationSuite;
import com.amazon.deequ.checks.Check;
import com.amazon.deequ.checks.CheckLevel;
import com.amazon.deequ.constraints.ConstrainableDataTypes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Function1;
import scala.Option;
import scala.collection.immutable.Nil$;
import scala.runtime.AbstractFunction1;
import scala.util.matching.Regex;

/**
 * The peer of bench/validate: the same checks as bench/validate/orgs.contract.yaml, in Deequ on
 * Spark local[2], on the same CSV. Prints one JSON object: end-to-end time of the first run
 * (measured from the JVM's launch, passed in by the runner, so Spark's start counts), then the
 * median of the warm runs (same session, CSV read again each time, as ours does).
 *
 * Usage: DeequBench CSV LAUNCH_EPOCH_MS WARM_RUNS
 */
public final class DeequBench {

    static final String[] COLUMNS = {"name", "email", "phone", "website", "street", "city", "province", "country",
            "registration_number", "category", "fleet_size", "founded_year", "last_inspection_date"};
    static final String EMAIL = "^[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}$";
    static final String PHONE = "^(\\+27|27|0|\\(0)[0-9 ()-]{8,14}$";
    static final String ISO_DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

    public static void main(String[] args) {
        String csv = args[0];
        long launch = Long.parseLong(args[1]);
        int warm = Integer.parseInt(args[2]);
        SparkSession spark = SparkSession.builder().master("local[2]").appName("hotpass-bench-deequ")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4") // 200 by default: far too many for 2 cores
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        long t = System.currentTimeMillis();
        VerificationResult first = run(spark, csv);
        long end = System.currentTimeMillis();
        long firstRun = end - t;
        long e2e = end - launch;
        List<Long> warmRuns = new ArrayList<>();
        for (int i = 0; i < warm; i++) {
            long s = System.nanoTime();
            run(spark, csv);
            warmRuns.add((System.nanoTime() - s) / 1_000_000);
        }
        List<Long> sorted = new ArrayList<>(warmRuns);
        Collections.sort(sorted);
        long median = sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
        System.out.println("{\"end_to_end_ms\":" + e2e + ",\"first_run_ms\":" + firstRun + ",\"warm_ms\":" + median
                + ",\"warm_runs_ms\":" + warmRuns + ",\"status\":\"" + first.status() + "\",\"constraints\":" + constraints()
                + ",\"deequ\":\"2.0.7-spark-3.5\",\"spark\":\"" + spark.version() + "\"}");
        spark.stop();
    }

    static int constraints() {
        return check().constraints().size();
    }

    static VerificationResult run(SparkSession spark, String csv) {
        Dataset<Row> df = spark.read().option("header", "true").csv(csv).toDF(COLUMNS);
        return new VerificationSuite().onData(df).addCheck(check()).run();
    }

    static Check check() {
        Option<String> none = Option.empty();
        Check c = new Check(CheckLevel.Error(), "orgs", nil());
        c = c.hasSize(atLeast(1), none)
                .isComplete("name", none, Option.empty())
                .hasPattern("email", new Regex(EMAIL, nil()), atLeast(0.9), none, none, Option.empty())
                .hasCompleteness("email", atLeast(0.9), none, Option.empty())
                .hasPattern("phone", new Regex(PHONE, nil()), atLeast(0.9), none, none, Option.empty())
                .isComplete("registration_number", none, Option.empty())
                .isUnique("registration_number", none, Option.empty())
                .isContainedIn("category", new String[] {"Flight Training", "Charter", "Maintenance", "Club", "Airline"})
                .hasDataType("fleet_size", ConstrainableDataTypes.Integral(), atLeast(1.0), none)
                .satisfies("fleet_size IS NULL OR CAST(fleet_size AS INT) BETWEEN 0 AND 500", "fleet_size range",
                        atLeast(0.98), none, nil(), Option.empty())
                .hasDataType("founded_year", ConstrainableDataTypes.Integral(), atLeast(1.0), none)
                .satisfies("founded_year IS NULL OR CAST(founded_year AS INT) BETWEEN 1900 AND 2026", "founded_year range",
                        atLeast(1.0), none, nil(), Option.empty())
                .hasPattern("last_inspection_date", new Regex(ISO_DATE, nil()), atLeast(0.99), none, none,
                        Option.empty());
        return c;
    }

    @SuppressWarnings("unchecked")
    static <T> scala.collection.immutable.List<T> nil() {
        return (scala.collection.immutable.List<T>) (Object) Nil$.MODULE$;
    }

    static Function1<Object, Object> atLeast(double threshold) {
        return new AbstractFunction1<Object, Object>() {
            @Override
            public Object apply(Object v) {
                return ((Number) v).doubleValue() >= threshold;
            }
        };
    }
}
