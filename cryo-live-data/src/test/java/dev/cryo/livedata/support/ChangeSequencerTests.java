package dev.cryo.livedata.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery order: by the place transactions took just before their commit, whichever thread
 * completes first.
 */
class ChangeSequencerTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final List<Object> delivered = new ArrayList<>();

	private final ChangeSequencer sequencer = new ChangeSequencer(
			(changes) -> changes.forEach((change) -> this.delivered.add(change.id())), Duration.ofMinutes(1));

	@Test
	void aTransactionCompletingEarlyWaitsForTheOneThatCommittedBeforeIt() {
		long first = this.sequencer.ticket();
		long second = this.sequencer.ticket();
		this.sequencer.complete(second, List.of(change(2), change(3)));
		assertThat(this.delivered).isEmpty();
		this.sequencer.complete(first, List.of(change(1)));
		assertThat(this.delivered).containsExactly(1L, 2L, 3L);
		assertThat(this.sequencer.backlog()).isZero();
	}

	@Test
	void aRollbackGivesItsPlaceUpWithNothingToSend() {
		long rolledBack = this.sequencer.ticket();
		long committed = this.sequencer.ticket();
		this.sequencer.complete(committed, List.of(change(2)));
		this.sequencer.complete(rolledBack, List.of());
		assertThat(this.delivered).containsExactly(2L);
	}

	@Test
	void changesOutsideATransactionFollowEverythingCompletedBefore() {
		long open = this.sequencer.ticket();
		this.sequencer.deliverNow(List.of(change(2)));
		assertThat(this.delivered).isEmpty();
		this.sequencer.complete(open, List.of(change(1)));
		assertThat(this.delivered).containsExactly(1L, 2L);
	}

	@Test
	void aTransactionThatNeverCompletesIsPassedOverAfterTheStallTimeoutAndDeliveredIfItCompletesLater() {
		ChangeSequencer impatient = new ChangeSequencer(
				(changes) -> changes.forEach((change) -> this.delivered.add(change.id())), Duration.ZERO);
		long lost = impatient.ticket();
		impatient.deliverNow(List.of(change(2)));
		assertThat(this.delivered).containsExactly(2L);
		impatient.complete(lost, List.of(change(1)));
		assertThat(this.delivered).containsExactly(2L, 1L);
	}

	@Test
	void aFailingDeliveryDoesNotStopTheNextOnes() {
		List<Object> seen = new ArrayList<>();
		ChangeSequencer failing = new ChangeSequencer((changes) -> {
			seen.add(changes.get(0).id());
			throw new IllegalStateException("delivery failed");
		}, Duration.ofMinutes(1));
		failing.deliverNow(List.of(change(1)));
		failing.deliverNow(List.of(change(2)));
		assertThat(seen).containsExactly(1L, 2L);
	}

	private static LiveDataChange change(long id) {
		return new LiveDataChange("Post", id, mapper.createObjectNode().put("id", id).toString());
	}

}
