package dev.cryo.boot.autoconfigure.livedata;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.cryo.boot.autoconfigure.metrics.ClusterTopicMeters;
import dev.cryo.livedata.support.LiveDataSupport;

/**
 * Live data's meters, read from {@link LiveDataSupport} at each scrape: the gauge
 * {@code cryo.live-data.subscriptions}, the counter {@code cryo.live-data.notifications} of the
 * change notifications handed to connections, and the counter
 * {@code cryo.live-data.limits.exceeded}, tagged {@code limit}: {@code subscriptions-per-connection}
 * (subscriptions refused) and {@code changes-per-transaction} (transactions that sent nothing). In
 * a cluster, the counter {@code cryo.live-data.cluster.transactions}, tagged {@code direction}
 * ({@code published} to or {@code received} from other nodes), and the counter
 * {@code cryo.live-data.cluster.transactions.dropped}, tagged {@code reason} ({@code too-large}:
 * over {@code cryo.endpoints.live-data.max-cluster-message-size}, not published or not accepted;
 * {@code malformed}: received and unreadable; {@code publish-failed}).
 */
final class CryoLiveDataMeterBinder implements MeterBinder {

	static final String SUBSCRIPTIONS = "cryo.live-data.subscriptions";

	static final String NOTIFICATIONS = "cryo.live-data.notifications";

	static final String LIMITS_EXCEEDED = "cryo.live-data.limits.exceeded";

	static final String CLUSTER_TRANSACTIONS = "cryo.live-data.cluster.transactions";

	static final String CLUSTER_TRANSACTIONS_DROPPED = "cryo.live-data.cluster.transactions.dropped";

	private final LiveDataSupport liveData;

	CryoLiveDataMeterBinder(LiveDataSupport liveData) {
		this.liveData = liveData;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder(SUBSCRIPTIONS, this.liveData, LiveDataSupport::subscriptionCount)
			.description("Live-data subscriptions of all connections")
			.register(registry);
		FunctionCounter.builder(NOTIFICATIONS, this.liveData, LiveDataSupport::notificationsSent)
			.description("Change notifications handed to connections")
			.register(registry);
		FunctionCounter.builder(LIMITS_EXCEEDED, this.liveData, LiveDataSupport::subscriptionsRefused)
			.description("Live-data requests a limit turned away")
			.tag("limit", "subscriptions-per-connection")
			.register(registry);
		FunctionCounter.builder(LIMITS_EXCEEDED, this.liveData, LiveDataSupport::transactionsDropped)
			.description("Live-data requests a limit turned away")
			.tag("limit", "changes-per-transaction")
			.register(registry);
		this.liveData.clusterTopic()
			.ifPresent((topic) -> ClusterTopicMeters.bind(registry, topic, CLUSTER_TRANSACTIONS,
					CLUSTER_TRANSACTIONS_DROPPED, "Live-data transactions"));
	}

}
