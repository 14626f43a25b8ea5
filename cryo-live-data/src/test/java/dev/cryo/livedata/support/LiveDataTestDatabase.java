package dev.cryo.livedata.support;

import java.sql.Driver;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * JPA as an application sets it up with Spring, by hand: Hibernate behind a
 * {@link LocalContainerEntityManagerFactoryBean}, a {@link JpaTransactionManager} and a
 * {@link TransactionTemplate}, with live data installed on the factory.
 */
final class LiveDataTestDatabase implements AutoCloseable {

	static final int MAX_SUBSCRIPTIONS = 8;

	static final int MAX_CHANGES_PER_TRANSACTION = 50;

	private final LocalContainerEntityManagerFactoryBean factoryBean;

	private final EntityManagerFactory entityManagerFactory;

	private final TransactionTemplate transactions;

	private final LiveDataSupport liveData;

	LiveDataTestDatabase(Driver driver, String url, String user) {
		this(driver, url, user, true, (builder) -> builder);
	}

	/**
	 * Sets up JPA and live data.
	 * @param driver the JDBC driver
	 * @param url the database
	 * @param user the user
	 * @param createSchema whether to create the schema (and drop it on close), or use the one
	 * another instance created on the same database
	 * @param customizer adds to live data's configuration
	 */
	LiveDataTestDatabase(Driver driver, String url, String user, boolean createSchema,
			UnaryOperator<LiveDataSupport.Builder> customizer) {
		SimpleDriverDataSource dataSource = new SimpleDriverDataSource(driver, url, user, "");
		this.factoryBean = new LocalContainerEntityManagerFactoryBean();
		this.factoryBean.setDataSource(dataSource);
		this.factoryBean.setPackagesToScan(Post.class.getPackageName());
		this.factoryBean.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
		Properties properties = new Properties();
		properties.setProperty("hibernate.hbm2ddl.auto", createSchema ? "create-drop" : "none");
		this.factoryBean.setJpaProperties(properties);
		this.factoryBean.afterPropertiesSet();
		this.entityManagerFactory = this.factoryBean.getObject();
		this.transactions = new TransactionTemplate(new JpaTransactionManager(this.entityManagerFactory));
		this.liveData = customizer.apply(LiveDataSupport.on(this.entityManagerFactory)
			.models(List.of(new LiveDataModelDefinition("Comment", Comment.class.getName(), List.of("body"), true)))
			.maxSubscriptionsPerConnection(MAX_SUBSCRIPTIONS)
			.maxChangesPerTransaction(MAX_CHANGES_PER_TRANSACTION))
			.install();
		this.liveData.start();
	}

	LiveDataSupport liveData() {
		return this.liveData;
	}

	EntityManagerFactory entityManagerFactory() {
		return this.entityManagerFactory;
	}

	TransactionTemplate transactions() {
		return this.transactions;
	}

	/**
	 * Runs work in a transaction with the transaction's entity manager.
	 * @param <T> the result type
	 * @param work the work
	 * @return its result
	 */
	<T> T inTransaction(java.util.function.Function<EntityManager, T> work) {
		return this.transactions.execute((TransactionCallback<T>) (status) -> work
			.apply(EntityManagerFactoryUtils.getTransactionalEntityManager(this.entityManagerFactory)));
	}

	@Override
	public void close() {
		this.liveData.close();
		this.factoryBean.destroy();
	}

}
