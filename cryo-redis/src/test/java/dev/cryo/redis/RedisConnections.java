package dev.cryo.redis;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.cryo.test.PrivateRedis;

/** Connections of the module's tests to their private Redis. */
final class RedisConnections {

	private RedisConnections() {
	}

	/**
	 * Starts the Redis if needed and returns a started Lettuce connection factory to it, which the
	 * caller destroys.
	 * @param redis the private Redis
	 * @return the connection factory
	 * @throws Exception if the Redis cannot be started
	 */
	static LettuceConnectionFactory startedFactory(PrivateRedis redis) throws Exception {
		redis.start();
		LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		return connectionFactory;
	}

}
