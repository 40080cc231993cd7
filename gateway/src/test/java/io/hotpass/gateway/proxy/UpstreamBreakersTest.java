package io.hotpass.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotpass.platform.problem.ProblemException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The breaker's state machine on a clock the test moves: threshold 3, open 10 s, 2 trials at once. */
class UpstreamBreakersTest {

    static final String UP = "ingest";
    static final long SECOND = 1_000_000_000L;

    UpstreamBreakers breakers;
    long now = 1_000 * SECOND;

    @BeforeEach
    void setUp() {
        breakers = new UpstreamBreakers();
        breakers.config = new UpstreamBreakers.BreakerConfig() {
            public int failureThreshold() {
                return 3;
            }

            public Duration openDuration() {
                return Duration.ofSeconds(10);
            }

            public int halfOpenRequests() {
                return 2;
            }
        };
        breakers.nanoTime = () -> now;
    }

    void trip() {
        for (int i = 0; i < 3; i++) {
            breakers.acquire(UP).failure();
        }
        assertEquals("OPEN", breakers.state(UP));
    }

    ProblemException refused() {
        ProblemException e = assertThrows(ProblemException.class, () -> breakers.acquire(UP));
        assertEquals(503, e.status());
        assertEquals("upstream_circuit_open", e.code());
        return e;
    }

    @Test
    void opensAfterConsecutiveFailuresOnlyAndRefusesWhileOpen() {
        breakers.acquire(UP).failure();
        breakers.acquire(UP).failure();
        breakers.acquire(UP).success(); // not consecutive: starts again
        breakers.acquire(UP).failure();
        breakers.acquire(UP).failure();
        assertEquals("CLOSED", breakers.state(UP));
        breakers.acquire(UP).failure();
        assertEquals("OPEN", breakers.state(UP));
        now += 4 * SECOND;
        assertEquals("6", refused().headers().get("Retry-After"));
        assertEquals("CLOSED", breakers.state("contracts"), "each upstream has its own circuit");
    }

    @Test
    void afterTheOpenDurationAFewTrialsGoThroughAndTheFirstSuccessCloses() {
        trip();
        now += 10 * SECOND;
        UpstreamBreakers.Permit first = breakers.acquire(UP);
        UpstreamBreakers.Permit second = breakers.acquire(UP);
        assertTrue(first.isTrial() && second.isTrial());
        assertEquals("HALF_OPEN", breakers.state(UP));
        refused(); // two trials in flight: the third waits
        second.success();
        assertEquals("CLOSED", breakers.state(UP));
        assertTrue(!breakers.acquire(UP).isTrial());
        first.failure(); // the slow trial failing after another closed the circuit counts as one failure, no more
        assertEquals("CLOSED", breakers.state(UP));
    }

    @Test
    void aLongTrialDoesNotKeepTheCircuitHalfOpen() {
        trip();
        now += 10 * SECOND;
        UpstreamBreakers.Permit upload = breakers.acquire(UP); // answers only after everything else
        now += SECOND / 2;
        breakers.acquire(UP).success(); // a quick read beside it
        assertEquals("CLOSED", breakers.state(UP));
        for (int i = 0; i < 10; i++) {
            breakers.acquire(UP).success();
        }
        upload.success();
        assertEquals("CLOSED", breakers.state(UP));
    }

    @Test
    void aFailedTrialOpensTheCircuitAgainAndAStaleTrialCannot() {
        trip();
        now += 10 * SECOND;
        UpstreamBreakers.Permit stale = breakers.acquire(UP);
        UpstreamBreakers.Permit failing = breakers.acquire(UP);
        failing.failure();
        assertEquals("OPEN", breakers.state(UP));
        refused();
        now += 10 * SECOND;
        UpstreamBreakers.Permit next = breakers.acquire(UP);
        assertEquals("HALF_OPEN", breakers.state(UP));
        stale.failure(); // a trial of the previous round: its news is old
        assertEquals("HALF_OPEN", breakers.state(UP));
        next.success();
        assertEquals("CLOSED", breakers.state(UP));
    }

    @Test
    void lateFailuresOfRequestsFromBeforeTheTripNeitherExtendNorReopen() {
        List<UpstreamBreakers.Permit> inFlight = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            inFlight.add(breakers.acquire(UP));
        }
        for (int i = 0; i < 3; i++) {
            inFlight.get(i).failure();
        }
        assertEquals("OPEN", breakers.state(UP));
        now += 9 * SECOND;
        inFlight.get(3).failure(); // still open: does not push the end of the open period
        now += SECOND;
        UpstreamBreakers.Permit trial = breakers.acquire(UP);
        assertTrue(trial.isTrial());
        inFlight.get(4).failure(); // not a trial: says nothing about the upstream now
        assertEquals("HALF_OPEN", breakers.state(UP));
        trial.success();
        assertEquals("CLOSED", breakers.state(UP));
    }

    @Test
    void whenEveryTrialHangsAnotherGoesThroughAfterTheOpenDuration() {
        trip();
        now += 10 * SECOND;
        breakers.acquire(UP);
        breakers.acquire(UP);
        now += 9 * SECOND;
        assertEquals("1", refused().headers().get("Retry-After"));
        now += SECOND;
        UpstreamBreakers.Permit third = breakers.acquire(UP);
        assertTrue(third.isTrial());
        refused();
        third.success();
        assertEquals("CLOSED", breakers.state(UP));
    }

    @Test
    void aTrialEndedWithoutAVerdictFreesItsPlaceAndEachPermitReportsOnce() {
        trip();
        now += 10 * SECOND;
        UpstreamBreakers.Permit tooLarge = breakers.acquire(UP);
        breakers.acquire(UP);
        refused();
        tooLarge.release();
        tooLarge.release();
        breakers.acquire(UP);
        refused(); // released once, one place freed

        setUp();
        UpstreamBreakers.Permit p = breakers.acquire(UP);
        p.failure();
        p.failure();
        p.failure();
        assertEquals("CLOSED", breakers.state(UP), "one request is one failure");
    }
}
