package dev.cryo.sample.cluster;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cryo.sample.CryoSampleApplication;
import dev.cryo.test.PrivateRedis;

/**
 * The sample app as the nodes of one cluster on a private Redis, started as README starts them:
 * with command-line arguments, which win over {@code application.yml}, on random ports. Each test
 * class uses its own key prefix, so that classes sharing a Redis never see each other's nodes.
 * {@link #close()} stops every node it started.
 */
public final class SampleNodes implements AutoCloseable {

	private final PrivateRedis redis;

	private final String keyPrefix;

	private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	/**
	 * Prepares the nodes of one cluster.
	 * @param redis the Redis they share
	 * @param keyPrefix their {@code cryo.cluster.redis.key-prefix}
	 */
	public SampleNodes(PrivateRedis redis, String keyPrefix) {
		this.redis = redis;
		this.keyPrefix = keyPrefix;
	}

	/**
	 * Starts a node.
	 * @param nodeId its {@code cryo.cluster.redis.node-id}
	 * @param arguments more command-line arguments, {@code --name=value}
	 * @return the node's context
	 */
	public ConfigurableApplicationContext start(String nodeId, String... arguments) {
		List<String> all = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
				"--spring.main.banner-mode=off", "--spring.data.redis.host=" + this.redis.host(),
				"--spring.data.redis.port=" + this.redis.port(), "--cryo.cluster.redis.enabled=true",
				"--cryo.cluster.redis.node-id=" + nodeId, "--cryo.cluster.redis.key-prefix=" + this.keyPrefix));
		all.addAll(List.of(arguments));
		ConfigurableApplicationContext node = new SpringApplicationBuilder(CryoSampleApplication.class)
			.run(all.toArray(String[]::new));
		this.nodes.add(node);
		return node;
	}

	/**
	 * Starts a node and returns its web server's port.
	 * @param nodeId its node id
	 * @param arguments more command-line arguments
	 * @return the port of its HTTP and Cryo endpoints
	 */
	public int startForPort(String nodeId, String... arguments) {
		return port(start(nodeId, arguments));
	}

	/**
	 * Returns a node's web server port.
	 * @param node the node
	 * @return the port
	 */
	public static int port(ConfigurableApplicationContext node) {
		return ((WebServerApplicationContext) node).getWebServer().getPort();
	}

	/** Stops every node started here. */
	@Override
	public void close() {
		this.nodes.forEach(ConfigurableApplicationContext::close);
		this.nodes.clear();
	}

}
