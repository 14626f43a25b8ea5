package dev.cryo.sample;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the sample application.
 */
@ConfigurationProperties("sample")
public class SampleProperties {

	/**
	 * Bearer tokens accepted from clients. When empty, only the development token "dev-token"
	 * is accepted.
	 */
	private List<String> tokens = new ArrayList<>();

	public List<String> getTokens() {
		return this.tokens;
	}

	public void setTokens(List<String> tokens) {
		this.tokens = tokens;
	}

}
