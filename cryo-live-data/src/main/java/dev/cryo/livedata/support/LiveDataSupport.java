package dev.cryo.livedata.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.EntityManagerFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;
import tools.jackson.databind.json.JsonMapper;

import dev.cryo.endpoint.EndpointListener;
import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.livedata.LiveDataSubscriptions;
import dev.cryo.server.cluster.ClusterBroadcaster;
import dev.cryo.server.cluster.ClusterTopic;

/**
 * Live data installed on one JPA {@link EntityManagerFactory} backed by Hibernate: builds the
 * catalog of watched entities, registers the change listeners on the session factory's
 * {@link EventListenerRegistry}, and offers what the endpoint layer needs: the
 * {@link #subscriptions() Java API}, the bundled {@link #plugin() plugin} and the connection
 * {@link #listener() listener}.
 *
 * <p>What is sent: each row written by Hibernate (persist, merge, dirty checking, remove) of a
 * watched entity, once the transaction that wrote it has committed, in commit order, with only
 * its id and allow-listed fields; changes flushed outside a transaction are sent when flushed;
 * rolled-back changes are never sent. Bulk JPQL/HQL/Criteria {@code UPDATE}/{@code DELETE} and
 * native SQL are not tracked: Hibernate does not load the rows they change. Delivery happens on
 * the thread that commits, right after the commit, so keep
 * {@link dev.cryo.endpoint.EndpointConnection#notify} non-blocking (the endpoint layer's is).
 *
 * <p>In a cluster ({@link Builder#broadcaster(ClusterBroadcaster)}), each transaction delivered
 * here is then published once to the other nodes, as one message on the
 * {@code cryo.live-data.changes} topic, on the same thread and in the same order (so a slow
 * broadcaster delays later deliveries of this node); each node delivers what other nodes publish
 * to its own subscribers in the order it arrives. So the changes of one node reach every
 * subscriber in that node's commit order; changes committed on different nodes have no order
 * between them (two nodes' subscribers may see them in different orders), and, as the
 * broadcaster's publish/subscribe is fire-and-forget, a node that is not subscribed when a
 * transaction is published misses it. {@link #start()} subscribes to the other nodes' changes
 * (as a Spring bean: when the context starts) and {@link #stop()} or {@link #close()} ends that.
 */
public final class LiveDataSupport implements SmartLifecycle, AutoCloseable {

	/** The default most subscriptions per connection. */
	public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION = 256;

	/** The default most changed rows one transaction may send. */
	public static final int DEFAULT_MAX_CHANGES_PER_TRANSACTION = 10_000;

	/** The cluster topic committed changes travel on between nodes. */
	public static final String CLUSTER_TOPIC = "cryo.live-data.changes";

	/** The default largest message of one transaction's changes published to or accepted from other nodes: 4 MiB. */
	public static final int DEFAULT_MAX_CLUSTER_MESSAGE_SIZE = 4 * 1024 * 1024;

	private static final Log logger = LogFactory.getLog(LiveDataSupport.class);

	private final SubscriptionRegistry registry;

	private final ChangeSequencer sequencer;

	private final TransactionBuffers buffers;

	private final PluginDefinition plugin;

	private final LiveDataConnectionListener listener;

	private final @Nullable LiveDataClusterRelay relay;

	private volatile boolean running;

	private LiveDataSupport(SubscriptionRegistry registry, ChangeSequencer sequencer, TransactionBuffers buffers,
			@Nullable LiveDataClusterRelay relay) {
		this.registry = registry;
		this.sequencer = sequencer;
		this.buffers = buffers;
		this.relay = relay;
		this.plugin = LiveDataPlugin.definition(registry);
		this.listener = new LiveDataConnectionListener(registry);
	}

	/**
	 * Starts configuring live data on an entity manager factory.
	 * @param entityManagerFactory a Hibernate-backed factory (Spring's proxy is fine)
	 * @return a builder
	 */
	public static Builder on(EntityManagerFactory entityManagerFactory) {
		return new Builder(entityManagerFactory);
	}

	/**
	 * Returns the Java API for handlers.
	 * @return the subscriptions
	 */
	public LiveDataSubscriptions subscriptions() {
		return this.registry;
	}

	/**
	 * Returns the bundled {@value LiveDataPlugin#NAME} plugin.
	 * @return its definition
	 */
	public PluginDefinition plugin() {
		return this.plugin;
	}

	/**
	 * Returns the listener that subscribes opening connections automatically and forgets closed
	 * ones; register it with the endpoint layer.
	 * @return the listener
	 */
	public EndpointListener listener() {
		return this.listener;
	}

	/**
	 * Returns how many transactions have taken their place in the delivery order and are not
	 * delivered yet, plus how many have captured changes and not completed; zero when idle.
	 * @return the count
	 */
	public int pendingTransactions() {
		return this.sequencer.backlog() + this.buffers.openTransactions();
	}

	/**
	 * Returns how many subscriptions all connections hold now.
	 * @return the count
	 */
	public int subscriptionCount() {
		return this.registry.subscriptionCount();
	}

	/**
	 * Returns how many change notifications were handed to connections since start.
	 * @return the count
	 */
	public long notificationsSent() {
		return this.registry.notificationsSent();
	}

	/**
	 * Returns how many subscriptions {@code max-subscriptions-per-connection} refused since start.
	 * @return the count
	 */
	public long subscriptionsRefused() {
		return this.registry.subscriptionsRefused();
	}

	/**
	 * Returns how many transactions changed more watched rows than
	 * {@code max-changes-per-transaction} and therefore sent nothing, since start.
	 * @return the count
	 */
	public long transactionsDropped() {
		return this.buffers.droppedTransactions();
	}

	/**
	 * Returns whether this live data exchanges changes with the other nodes of a cluster.
	 * @return whether a broadcaster was given
	 */
	public boolean isClustered() {
		return this.relay != null;
	}

	/**
	 * Returns the cluster topic committed changes travel on, with its counts of transactions
	 * published, received and dropped ({@code max-cluster-message-size}, malformed, failed to
	 * publish).
	 * @return the topic, empty on a single node
	 */
	public Optional<ClusterTopic> clusterTopic() {
		return (this.relay != null) ? Optional.of(this.relay.topic()) : Optional.empty();
	}

	/**
	 * Subscribes to the changes other nodes publish; does nothing on a single node or when
	 * started already.
	 */
	@Override
	public void start() {
		if (this.relay != null) {
			this.relay.start();
		}
		this.running = true;
	}

	/** Stops receiving the changes other nodes publish; this node's changes still travel. */
	@Override
	public void stop() {
		if (this.relay != null) {
			this.relay.stop();
		}
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Returns {@link ClusterTopic#SUBSCRIBER_PHASE}: after the broadcaster, before the web server.
	 * @return the phase
	 */
	@Override
	public int getPhase() {
		return ClusterTopic.SUBSCRIBER_PHASE;
	}

	/** Stops receiving the changes other nodes publish, as {@link #stop()} does. */
	@Override
	public void close() {
		stop();
	}

	/**
	 * Configures and installs live data.
	 */
	public static final class Builder {

		private final EntityManagerFactory entityManagerFactory;

		private final List<LiveDataModelDefinition> models = new ArrayList<>();

		private int maxSubscriptionsPerConnection = DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION;

		private int maxChangesPerTransaction = DEFAULT_MAX_CHANGES_PER_TRANSACTION;

		private JsonMapper jsonMapper = JsonMapper.builder().build();

		private Duration stallTimeout = ChangeSequencer.DEFAULT_STALL_TIMEOUT;

		private @Nullable ClusterBroadcaster broadcaster;

		private int maxClusterMessageSize = DEFAULT_MAX_CLUSTER_MESSAGE_SIZE;

		private Builder(EntityManagerFactory entityManagerFactory) {
			this.entityManagerFactory = entityManagerFactory;
		}

		/**
		 * Adds watched entities declared by configuration.
		 * @param models the definitions
		 * @return this builder
		 */
		public Builder models(List<LiveDataModelDefinition> models) {
			this.models.addAll(models);
			return this;
		}

		/**
		 * Sets the most subscriptions one connection may hold.
		 * @param max the limit, positive; default
		 * {@value LiveDataSupport#DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION}
		 * @return this builder
		 */
		public Builder maxSubscriptionsPerConnection(int max) {
			Assert.isTrue(max > 0, "'max' must be positive");
			this.maxSubscriptionsPerConnection = max;
			return this;
		}

		/**
		 * Sets the most changed rows of watched entities one transaction may send; a transaction
		 * that changes more sends none of them (with a warning), rather than holding every row of
		 * a huge batch in memory or telling subscribers only part of it.
		 * @param max the limit, positive; default
		 * {@value LiveDataSupport#DEFAULT_MAX_CHANGES_PER_TRANSACTION}
		 * @return this builder
		 */
		public Builder maxChangesPerTransaction(int max) {
			Assert.isTrue(max > 0, "'max' must be positive");
			this.maxChangesPerTransaction = max;
			return this;
		}

		/**
		 * Sets the mapper that writes field values.
		 * @param jsonMapper the mapper
		 * @return this builder
		 */
		public Builder jsonMapper(JsonMapper jsonMapper) {
			this.jsonMapper = jsonMapper;
			return this;
		}

		/**
		 * Sets how long a transaction that took its place in the delivery order but never
		 * completed may hold back later ones (default 60 seconds).
		 * @param stallTimeout the timeout
		 * @return this builder
		 */
		public Builder stallTimeout(Duration stallTimeout) {
			Assert.isTrue(!stallTimeout.isNegative(), "'stallTimeout' must not be negative");
			this.stallTimeout = stallTimeout;
			return this;
		}

		/**
		 * Sets the broadcaster that carries committed changes to the other nodes of a cluster
		 * and theirs to this node; none (the default) serves a single node.
		 * @param broadcaster the broadcaster, {@code null} for none
		 * @return this builder
		 */
		public Builder broadcaster(@Nullable ClusterBroadcaster broadcaster) {
			this.broadcaster = broadcaster;
			return this;
		}

		/**
		 * Sets the largest message of one transaction's changes published to or accepted from
		 * other nodes; a larger transaction is delivered on its own node only, with a warning.
		 * @param max the limit in bytes, at least 64; default
		 * {@value LiveDataSupport#DEFAULT_MAX_CLUSTER_MESSAGE_SIZE}
		 * @return this builder
		 */
		public Builder maxClusterMessageSize(int max) {
			Assert.isTrue(max >= 64, "'max' must be at least 64");
			this.maxClusterMessageSize = max;
			return this;
		}

		/**
		 * Builds the catalog and registers the change listeners on the session factory.
		 * @return the installed live data
		 * @throws IllegalStateException when a model is misconfigured
		 */
		public LiveDataSupport install() {
			SessionFactoryImplementor sessionFactory = this.entityManagerFactory
				.unwrap(SessionFactoryImplementor.class);
			ModelCatalog catalog = ModelCatalog.build(sessionFactory.getMappingMetamodel(), this.models);
			SubscriptionRegistry registry = new SubscriptionRegistry(catalog, this.maxSubscriptionsPerConnection);
			LiveDataClusterRelay relay = (this.broadcaster != null) ? new LiveDataClusterRelay(catalog,
					registry::deliver, this.broadcaster, this.jsonMapper, this.maxClusterMessageSize,
					this.maxChangesPerTransaction) : null;
			ChangeSequencer sequencer = new ChangeSequencer((relay != null) ? (changes) -> {
				// Here first, then once to the other nodes, in this node's commit order (under the sequencer's lock).
				registry.deliver(changes);
				relay.publish(changes);
			} : registry::deliver, this.stallTimeout);
			TransactionBuffers buffers = new TransactionBuffers(sequencer, this.maxChangesPerTransaction);
			if (catalog.isEmpty()) {
				logger.info("Live data: no watched entities (annotate entities with @LiveData or configure "
						+ "cryo.endpoints.live-data.models)");
			}
			else {
				LiveDataEventListener listener = new LiveDataEventListener(catalog, this.jsonMapper, buffers);
				EventListenerRegistry listeners = sessionFactory.getServiceRegistry()
					.getService(EventListenerRegistry.class);
				Assert.state(listeners != null, "Hibernate's EventListenerRegistry is not available");
				listeners.appendListeners(EventType.POST_INSERT, listener);
				listeners.appendListeners(EventType.POST_UPDATE, listener);
				listeners.appendListeners(EventType.POST_DELETE, listener);
				logger.debug("Live data watches " + catalog.modelNames());
			}
			return new LiveDataSupport(registry, sequencer, buffers, relay);
		}

	}

}
