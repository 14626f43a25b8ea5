package dev.cryo.server.support;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.util.Assert;

import dev.cryo.core.dialect.CryoDialect;
import dev.cryo.core.dialect.UpgradeRequest;
import dev.cryo.core.dialect.v1.CryoV1Dialect;

/**
 * The dialects a server speaks, in the order they are asked at the upgrade: the application's
 * dialects first, Cryo v1 last. v1 recognises every request, so a request that no other dialect
 * claims is served as v1, as every request was before dialects existed.
 */
public final class CryoDialects {

	private static final CryoDialects V1_ONLY = new CryoDialects(List.of());

	private final List<CryoDialect> dialects;

	private final List<String> subprotocols;

	/**
	 * Creates the list from the application's dialects; v1 is added as the last one.
	 * @param dialects the application's dialects, in the order they are asked; a v1 among them is
	 * ignored, as v1 always comes last
	 */
	public CryoDialects(List<? extends CryoDialect> dialects) {
		Assert.notNull(dialects, "'dialects' must not be null");
		List<CryoDialect> ordered = new ArrayList<>(dialects.size() + 1);
		Set<String> names = new HashSet<>();
		for (CryoDialect dialect : dialects) {
			Assert.notNull(dialect, "'dialects' must not contain null");
			if (dialect != CryoV1Dialect.INSTANCE) {
				Assert.isTrue(names.add(dialect.name()), () -> "Two Cryo dialects are named '" + dialect.name() + "'");
				ordered.add(dialect);
			}
		}
		Assert.isTrue(!names.contains(CryoV1Dialect.INSTANCE.name()),
				() -> "The Cryo dialect name '" + CryoV1Dialect.INSTANCE.name() + "' is taken by Cryo v1");
		ordered.add(CryoV1Dialect.INSTANCE);
		this.dialects = List.copyOf(ordered);
		Set<String> subprotocols = new LinkedHashSet<>();
		for (CryoDialect dialect : this.dialects) {
			subprotocols.addAll(dialect.subprotocols());
		}
		this.subprotocols = List.copyOf(subprotocols);
	}

	/**
	 * Returns the list that holds Cryo v1 alone.
	 * @return the dialects of a server without application dialects
	 */
	public static CryoDialects v1Only() {
		return V1_ONLY;
	}

	/**
	 * Returns the first dialect that recognises an upgrade request, in the
	 * {@linkplain CryoDialect#variantFor variant} that serves it (the legacy generation with or
	 * without CALE, by path).
	 * @param request the upgrade request
	 * @return the dialect; v1 when no other recognises the request
	 */
	public CryoDialect select(UpgradeRequest request) {
		Assert.notNull(request, "'request' must not be null");
		for (CryoDialect dialect : this.dialects) {
			if (dialect.recognises(request)) {
				return dialect.variantFor(request);
			}
		}
		return fallback();
	}

	/**
	 * Returns the dialect of a connection whose upgrade chose none.
	 * @return Cryo v1
	 */
	public CryoDialect fallback() {
		return this.dialects.get(this.dialects.size() - 1);
	}

	/**
	 * Returns the subprotocols of all dialects, in dialect order, without repeats.
	 * @return the subprotocols
	 */
	public List<String> subprotocols() {
		return this.subprotocols;
	}

	/**
	 * Returns the dialects in the order they are asked.
	 * @return the dialects, v1 last
	 */
	public List<CryoDialect> all() {
		return this.dialects;
	}

	@Override
	public String toString() {
		return this.dialects.toString();
	}

}
