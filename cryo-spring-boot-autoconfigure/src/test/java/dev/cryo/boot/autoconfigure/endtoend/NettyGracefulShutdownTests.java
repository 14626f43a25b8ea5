package dev.cryo.boot.autoconfigure.endtoend;

/**
 * {@link GracefulShutdownTests} against the Netty transport: the sessions it serves get their
 * BYE while its connections are still served, and upgrades are refused with 503 once the Cryo
 * server stops accepting.
 */
class NettyGracefulShutdownTests extends GracefulShutdownTests {

	@Override
	String[] transportProperties() {
		return new String[] { "cryo.transport=netty", "cryo.port=0" };
	}

}
