package dev.cryo.benchmarks.netty;

import java.net.InetSocketAddress;
import java.util.Set;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

import dev.cryo.server.TokenValidator;
import dev.cryo.server.support.CryoSessionFactory;

/**
 * The Netty prototype's server: one event-loop thread (the benchmark pins the server to one CPU)
 * serving the Cryo paths on its own port, with the sessions of the application's
 * {@code CryoServer}.
 */
public final class NettyCryoEndpoint implements AutoCloseable {

	/** Enough for an upgrade request with a long token; nothing else is aggregated. */
	private static final int MAX_UPGRADE_REQUEST = 16 * 1024;

	private final EventLoopGroup group;

	private final Channel server;

	private NettyCryoEndpoint(EventLoopGroup group, Channel server) {
		this.group = group;
		this.server = server;
	}

	/**
	 * Starts the endpoint.
	 * @param port the port, 0 for any free one
	 * @param paths the paths served
	 * @param sessions creates the sessions, with the server's dialects and registry
	 * @param tokens checks bearer tokens (on the event loop: it must be fast)
	 * @return the running endpoint
	 * @throws InterruptedException if interrupted while binding
	 */
	public static NettyCryoEndpoint start(int port, Set<String> paths, CryoSessionFactory sessions,
			TokenValidator tokens) throws InterruptedException {
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
		Channel server = new ServerBootstrap().group(group)
			.channel(NioServerSocketChannel.class)
			.option(ChannelOption.SO_BACKLOG, 1024)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					channel.pipeline()
						.addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_UPGRADE_REQUEST),
								new NettyUpgradeHandler(sessions, tokens, paths));
				}
			})
			.bind(new InetSocketAddress("127.0.0.1", port))
			.sync()
			.channel();
		return new NettyCryoEndpoint(group, server);
	}

	/**
	 * Returns the port the endpoint listens on.
	 * @return the port
	 */
	public int port() {
		return ((InetSocketAddress) this.server.localAddress()).getPort();
	}

	@Override
	public void close() {
		this.server.close().syncUninterruptibly();
		this.group.shutdownGracefully().syncUninterruptibly();
	}

}
