package io.hotpass.chaos.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ZeroLossCheckTest {

    @Test
    void outboxesEmptyForOneReadAndFullAgainAtTheNextAreNotDrained() {
        // Reads: 0 (a relay's event delivered, the gateway's audit entry not yet written), 1 (written), then 0 for good.
        int[] pending = {0, 1, 0};
        AtomicInteger reads = new AtomicInteger();
        Optional<Long> drained = ZeroLossCheck.awaitZero("drained", Duration.ofSeconds(10), ZeroLossCheck.DRAINED_FOR,
                () -> (long) pending[Math.min(reads.getAndIncrement(), pending.length - 1)]);
        assertTrue(drained.isPresent());
        // Not at the first read: only after the count came back and then stayed zero for DRAINED_FOR.
        assertTrue(reads.get() >= 3 + (int) (ZeroLossCheck.DRAINED_FOR.toMillis() / 500), "reads: " + reads.get());
        assertTrue(drained.get() >= 900, "drained after " + drained.get() + " ms");
    }

    @Test
    void outboxesThatNeverStayEmptyAreNotDrained() {
        AtomicInteger reads = new AtomicInteger();
        Optional<Long> drained = ZeroLossCheck.awaitZero("drained", Duration.ofMillis(2500), ZeroLossCheck.DRAINED_FOR,
                () -> (long) (reads.getAndIncrement() % 2));
        assertEquals(Optional.empty(), drained);
    }

    @Test
    void runsThatAreSettledAtTheFirstReadNeedNoSecond() {
        AtomicInteger reads = new AtomicInteger();
        Optional<Long> settled = ZeroLossCheck.awaitZero("settled", Duration.ofSeconds(5), Duration.ZERO, () -> {
            reads.incrementAndGet();
            return 0L;
        });
        assertTrue(settled.isPresent());
        assertEquals(1, reads.get());
    }
}
