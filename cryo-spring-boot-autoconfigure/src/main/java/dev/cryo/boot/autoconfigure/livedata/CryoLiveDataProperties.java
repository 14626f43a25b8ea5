package dev.cryo.boot.autoconfigure.livedata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Live data ({@code cryo.endpoints.live-data.*}): committed JPA changes pushed to the connections
 * subscribed to them.
 */
@ConfigurationProperties("cryo.endpoints.live-data")
public class CryoLiveDataProperties {

	/**
	 * Whether live data is enabled when Hibernate and an EntityManagerFactory are present.
	 */
	private boolean enabled = true;

	/**
	 * Most subscriptions one connection may hold; beyond, subscribing is answered with an error.
	 */
	private int maxSubscriptionsPerConnection = 256;

	/**
	 * Most changed rows of watched entities one transaction may send; a transaction that changes
	 * more sends none of them (and logs a warning).
	 */
	private int maxChangesPerTransaction = 10_000;

	/**
	 * Largest message of one transaction's changes published to or accepted from the other nodes
	 * of a cluster; a larger transaction reaches this node's subscribers only, with a warning.
	 */
	private DataSize maxClusterMessageSize = DataSize.ofMegabytes(4);

	/**
	 * Watched entities by model name, in addition to those annotated with @LiveData (and winning
	 * over the annotation for the same entity).
	 */
	private Map<String, Model> models = new LinkedHashMap<>();

	/**
	 * Returns whether live data is enabled.
	 * @return whether it is enabled
	 */
	public boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * Sets whether live data is enabled.
	 * @param enabled whether it is enabled
	 */
	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	/**
	 * Returns the most subscriptions per connection.
	 * @return the limit
	 */
	public int getMaxSubscriptionsPerConnection() {
		return this.maxSubscriptionsPerConnection;
	}

	/**
	 * Sets the most subscriptions per connection.
	 * @param maxSubscriptionsPerConnection the limit, positive
	 */
	public void setMaxSubscriptionsPerConnection(int maxSubscriptionsPerConnection) {
		this.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
	}

	/**
	 * Returns the most changed rows one transaction may send.
	 * @return the limit
	 */
	public int getMaxChangesPerTransaction() {
		return this.maxChangesPerTransaction;
	}

	/**
	 * Sets the most changed rows one transaction may send.
	 * @param maxChangesPerTransaction the limit, positive
	 */
	public void setMaxChangesPerTransaction(int maxChangesPerTransaction) {
		this.maxChangesPerTransaction = maxChangesPerTransaction;
	}

	/**
	 * Returns the largest message of one transaction's changes exchanged with other nodes.
	 * @return the limit
	 */
	public DataSize getMaxClusterMessageSize() {
		return this.maxClusterMessageSize;
	}

	/**
	 * Sets the largest message of one transaction's changes exchanged with other nodes.
	 * @param maxClusterMessageSize the limit, 64 bytes to 2 GB
	 */
	public void setMaxClusterMessageSize(DataSize maxClusterMessageSize) {
		this.maxClusterMessageSize = maxClusterMessageSize;
	}

	/**
	 * Returns the configured models.
	 * @return model name to model
	 */
	public Map<String, Model> getModels() {
		return this.models;
	}

	/**
	 * Sets the configured models.
	 * @param models model name to model
	 */
	public void setModels(Map<String, Model> models) {
		this.models = models;
	}

	/**
	 * One watched entity.
	 */
	public static class Model {

		/**
		 * Fully qualified class name of the entity.
		 */
		private @Nullable String entity;

		/**
		 * Basic properties that notifications carry (the id is always sent); every other field
		 * stays on the server.
		 */
		private List<String> fields = new ArrayList<>();

		/**
		 * Whether every connection subscribes to the model when it opens.
		 */
		private boolean autoSubscribe;

		/**
		 * Returns the entity's class name.
		 * @return the class name
		 */
		public @Nullable String getEntity() {
			return this.entity;
		}

		/**
		 * Sets the entity's class name.
		 * @param entity the class name
		 */
		public void setEntity(@Nullable String entity) {
			this.entity = entity;
		}

		/**
		 * Returns the allow-listed fields.
		 * @return the property names
		 */
		public List<String> getFields() {
			return this.fields;
		}

		/**
		 * Sets the allow-listed fields.
		 * @param fields the property names
		 */
		public void setFields(List<String> fields) {
			this.fields = fields;
		}

		/**
		 * Returns whether connections subscribe automatically.
		 * @return whether they do
		 */
		public boolean isAutoSubscribe() {
			return this.autoSubscribe;
		}

		/**
		 * Sets whether connections subscribe automatically.
		 * @param autoSubscribe whether they do
		 */
		public void setAutoSubscribe(boolean autoSubscribe) {
			this.autoSubscribe = autoSubscribe;
		}

	}

}
