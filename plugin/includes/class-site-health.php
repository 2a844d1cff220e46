<?php
/**
 * Consentry's checks in Tools → Site Health, and its facts in the Info tab.
 *
 * @package Consentry
 */

namespace Consentry;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Direct tests answer from options only (the secret key is stored, the banner
 * config is fresh); tests that ask the service run asynchronously through
 * `consentry/v1/site-health/*` (Rest\Site_Health_Controller), so the Site
 * Health screen never waits on the service. The secret key is never shown.
 */
final class Site_Health {

	/**
	 * A banner config older than this is reported (pages refresh it every few minutes while visited).
	 */
	public const STALE_AFTER = DAY_IN_SECONDS;

	/**
	 * No consent recorded for this long is reported.
	 */
	public const QUIET_AFTER = 7 * DAY_IN_SECONDS;

	/**
	 * Choices waiting for the service this long are reported (a blip passes unreported).
	 */
	public const QUEUE_WAIT_WARNING = 5 * MINUTE_IN_SECONDS;

	/**
	 * Webhook endpoints looked at, and recent deliveries per endpoint.
	 */
	private const MAX_ENDPOINTS  = 20;
	private const RECENT_DELIVER = 20;

	/**
	 * Service requests made for Site Health wait at most this long.
	 */
	private const TIMEOUT = 5;

	/**
	 * Async tests: key => REST route under consentry/v1.
	 */
	public const ASYNC_TESTS = array(
		'consentry_service'      => 'site-health/service',
		'consentry_last_consent' => 'site-health/last-consent',
		'consentry_webhooks'     => 'site-health/webhooks',
	);

	/**
	 * `site_status_tests`: adds Consentry's tests.
	 *
	 * @param array<string, mixed> $tests Tests by type (direct, async).
	 * @return array<string, mixed>
	 */
	public static function tests( $tests ): array {
		$tests = is_array( $tests ) ? $tests : array();

		$tests['direct']['consentry_secret_key']    = array(
			'label' => __( 'Consentry secret key', 'consentry' ),
			'test'  => array( self::class, 'secret_key_test' ),
		);
		$tests['direct']['consentry_banner_config'] = array(
			'label' => __( 'Consentry banner configuration', 'consentry' ),
			'test'  => array( self::class, 'banner_config_test' ),
		);
		$tests['direct']['consentry_queue']         = array(
			'label' => __( 'Consent choices waiting for the service', 'consentry' ),
			'test'  => array( self::class, 'queue_test' ),
		);

		// The cron's scheduled check calls the same methods directly (async_direct_test).
		$methods = array(
			'consentry_service'      => 'service_test',
			'consentry_last_consent' => 'last_consent_test',
			'consentry_webhooks'     => 'webhooks_test',
		);
		$labels  = array(
			'consentry_service'      => __( 'Consentry service', 'consentry' ),
			'consentry_last_consent' => __( 'Consentry consent records', 'consentry' ),
			'consentry_webhooks'     => __( 'Consentry webhook deliveries', 'consentry' ),
		);
		foreach ( self::ASYNC_TESTS as $key => $route ) {
			$tests['async'][ $key ] = array(
				'label'             => $labels[ $key ],
				'test'              => rest_url( CONSENTRY_REST_NAMESPACE . '/' . $route ),
				'has_rest'          => true,
				'async_direct_test' => array( self::class, $methods[ $key ] ),
			);
		}
		return $tests;
	}

	/**
	 * Direct test: the secret key is stored.
	 *
	 * @return array<string, string|array<string, string>>
	 */
	public static function secret_key_test(): array {
		if ( '' !== Settings::secret_key() ) {
			return self::result(
				'consentry_secret_key',
				'good',
				__( 'The Consentry secret key is stored', 'consentry' ),
				__( 'WordPress has the key it uses to talk to the Consentry service. It is kept on the server and never shown.', 'consentry' )
			);
		}
		if ( Settings::has_site() ) {
			return self::result(
				'consentry_secret_key',
				'critical',
				__( 'The Consentry secret key is missing', 'consentry' ),
				__( 'The site is linked to a Consentry site, but the secret key is gone: the admin screens cannot reach the service. Connect again with a secret key.', 'consentry' ),
				true
			);
		}
		return self::not_connected( 'consentry_secret_key' );
	}

	/**
	 * Direct test: the banner configuration cached for pages is fresh.
	 *
	 * @return array<string, string|array<string, string>>
	 */
	public static function banner_config_test(): array {
		if ( ! Settings::has_site() ) {
			return self::not_connected( 'consentry_banner_config' );
		}
		return self::as_result( 'consentry_banner_config', self::banner_config_finding() );
	}

	/**
	 * Whether the banner configuration cached for pages is there and fresh. Also
	 * a step of the Connection screen's Check (Setup_Guide).
	 *
	 * @return array{status: string, label: string, description: string, link: bool}
	 */
	public static function banner_config_finding(): array {
		$age = self::banner_config_age();
		if ( null === $age ) {
			return self::finding(
				'recommended',
				__( 'No Consentry banner configuration is cached yet', 'consentry' ),
				__( 'Pages fetch the banner configuration from the service on their next visit. If this stays, check that WordPress can reach the service.', 'consentry' )
			);
		}
		if ( $age > self::STALE_AFTER ) {
			return self::finding(
				'recommended',
				__( 'The Consentry banner configuration is old', 'consentry' ),
				sprintf(
					/* translators: %s: time, like "3 days". */
					__( 'The cached copy was fetched %s ago. Visitors see the banner from it, but changes made since may be missing: check that WordPress can reach the service.', 'consentry' ),
					human_time_diff( time() - $age )
				)
			);
		}
		return self::finding(
			'good',
			__( 'The Consentry banner configuration is fresh', 'consentry' ),
			sprintf(
				/* translators: %s: time, like "2 mins". */
				__( 'Pages use a copy of the banner configuration fetched %s ago.', 'consentry' ),
				human_time_diff( time() - $age )
			)
		);
	}

	/**
	 * Direct test: visitors' choices held while the service was away (Offline_Queue).
	 *
	 * @return array<string, string|array<string, string>>
	 */
	public static function queue_test(): array {
		$test    = 'consentry_queue';
		$waiting = Offline_Queue::length();
		$oldest  = Offline_Queue::oldest();
		if ( $waiting >= Offline_Queue::CAP * Offline_Queue::NEARLY_FULL ) {
			return self::result(
				$test,
				'critical',
				__( 'The queue of consent choices waiting for the service is nearly full', 'consentry' ),
				sprintf(
					/* translators: 1: choices waiting, 2: most kept. */
					__( '%1$s consent choices wait for the Consentry service, which has not answered. Once %2$s wait, new choices are no longer kept: start the service, or check its URL and key.', 'consentry' ),
					number_format_i18n( $waiting ),
					number_format_i18n( Offline_Queue::CAP )
				),
				true
			);
		}
		if ( $waiting > 0 && null !== $oldest && time() - $oldest >= self::QUEUE_WAIT_WARNING ) {
			return self::result(
				$test,
				'recommended',
				sprintf(
					/* translators: %s: number of consent choices. */
					_n( '%s consent choice is waiting for the service', '%s consent choices are waiting for the service', $waiting, 'consentry' ),
					number_format_i18n( $waiting )
				),
				sprintf(
					/* translators: 1: time, like "12 mins", 2: most kept. */
					__( 'The Consentry service did not take visitors\' choices for %1$s. Visitors saw nothing wrong: WordPress keeps their choices and sends them every minute until the service takes them (at most %2$s are kept). Check that the service runs.', 'consentry' ),
					human_time_diff( $oldest ),
					number_format_i18n( Offline_Queue::CAP )
				),
				true
			);
		}
		return self::result(
			$test,
			'good',
			__( 'No consent choices are waiting for the service', 'consentry' ),
			__( 'When the Consentry service does not answer, WordPress keeps visitors\' choices and sends them on when it is back. None is waiting for long now.', 'consentry' )
		);
	}

	/**
	 * Async test: the service answers, its version, and whether it is ready.
	 *
	 * @return array<string, string|array<string, string>>
	 */
	public static function service_test(): array {
		$test = 'consentry_service';
		if ( ! Settings::is_connected() ) {
			return self::not_connected( $test );
		}
		return self::as_result( $test, self::service_finding( Service_Client::from_settings() ) );
	}

	/**
	 * Whether the service answers at the client's URL, its version, and whether
	 * it is ready. Also a step of the Connection screen's Check (Setup_Guide).
	 *
	 * @param Service_Client $client Client of the stored service URL.
	 * @return array{status: string, label: string, description: string, link: bool, version: string}
	 */
	public static function service_finding( Service_Client $client ): array {
		$health = $client->request( 'GET', '/health', null, array(), array( 'timeout' => self::TIMEOUT ) );
		if ( is_wp_error( $health ) ) {
			return self::finding(
				'critical',
				__( 'The Consentry service does not answer', 'consentry' ),
				sprintf(
					/* translators: 1: service URL, 2: error message. */
					__( 'WordPress could not reach the service at %1$s: %2$s Visitors still see the banner from the cached configuration.', 'consentry' ),
					Settings::service_url(),
					$health->get_error_message()
				),
				true
			);
		}
		$version = (string) ( $health['version'] ?? '' );
		$ready   = $client->request( 'GET', '/ready', null, array(), array( 'timeout' => self::TIMEOUT ) );
		if ( is_wp_error( $ready ) && 'NOT_FOUND' !== ( $ready->get_error_data()['serviceCode'] ?? '' ) && 'UNEXPECTED_RESPONSE' !== ( $ready->get_error_data()['serviceCode'] ?? '' ) ) {
			$failing = $ready->get_error_data()['details']['failing'] ?? array();
			return self::finding(
				'critical',
				__( 'The Consentry service is not ready', 'consentry' ),
				sprintf(
					/* translators: 1: version, 2: parts not answering, like "store". */
					__( 'The service (version %1$s) answers, but not all its parts do: %2$s.', 'consentry' ),
					$version,
					is_array( $failing ) && $failing ? implode( ', ', array_map( 'strval', $failing ) ) : $ready->get_error_message()
				),
				true,
				$version
			);
		}
		return self::finding(
			'good',
			sprintf(
				/* translators: %s: service version. */
				__( 'The Consentry service answers (version %s)', 'consentry' ),
				$version
			),
			sprintf(
				/* translators: %s: service URL. */
				__( 'The service at %s is reachable from WordPress and ready.', 'consentry' ),
				Settings::service_url()
			),
			false,
			$version
		);
	}

	/**
	 * Async test: when the last consent was recorded.
	 *
	 * @return array<string, string|array<string, string>>
	 */
	public static function last_consent_test(): array {
		$test = 'consentry_last_consent';
		if ( ! Settings::is_connected() ) {
			return self::not_connected( $test );
		}
		$events = Service_Client::from_settings()->request(
			'GET',
			'/consent/events/' . rawurlencode( Settings::site_id() ),
			null,
			array( 'limit' => 1 ),
			array( 'timeout' => self::TIMEOUT )
		);
		if ( is_wp_error( $events ) ) {
			return self::unreachable( $test, $events );
		}
		$last = $events['data'][0]['createdAt'] ?? null;
		$time = is_string( $last ) ? strtotime( $last ) : false;
		if ( false === $time ) {
			return self::result(
				$test,
				'recommended',
				__( 'No consent has been recorded yet', 'consentry' ),
				__( 'The service has no consent record for this site. Once visitors choose in the banner, their choices appear in the consent log. If visitors do use the site, check that the banner shows.', 'consentry' )
			);
		}
		$ago = human_time_diff( $time );
		if ( time() - $time > self::QUIET_AFTER ) {
			return self::result(
				$test,
				'recommended',
				__( 'No consent recorded recently', 'consentry' ),
				sprintf(
					/* translators: %s: time, like "9 days". */
					__( 'The last consent was recorded %s ago. If visitors use the site, check that the banner shows and that its choices reach the service.', 'consentry' ),
					$ago
				)
			);
		}
		return self::result(
			$test,
			'good',
			__( 'Consents are being recorded', 'consentry' ),
			sprintf(
				/* translators: %s: time, like "5 mins". */
				__( 'The last consent was recorded %s ago.', 'consentry' ),
				$ago
			)
		);
	}

	/**
	 * Async test: recent webhook deliveries that failed.
	 *
	 * @return array<string, string|array<string, string>>
	 */
	public static function webhooks_test(): array {
		$test = 'consentry_webhooks';
		if ( ! Settings::is_connected() ) {
			return self::not_connected( $test );
		}
		$client    = Service_Client::from_settings();
		$endpoints = $client->request( 'GET', '/webhooks', null, array(), array( 'timeout' => self::TIMEOUT ) );
		if ( is_wp_error( $endpoints ) ) {
			return self::unreachable( $test, $endpoints );
		}
		$failing = array();
		$checked = 0;
		foreach ( array_slice( (array) ( $endpoints['data'] ?? array() ), 0, self::MAX_ENDPOINTS ) as $endpoint ) {
			if ( ! is_array( $endpoint ) || empty( $endpoint['enabled'] ) || ! is_string( $endpoint['id'] ?? null ) ) {
				continue;
			}
			$deliveries = $client->request(
				'GET',
				'/webhooks/' . rawurlencode( $endpoint['id'] ) . '/deliveries',
				null,
				array( 'limit' => self::RECENT_DELIVER ),
				array( 'timeout' => self::TIMEOUT )
			);
			if ( is_wp_error( $deliveries ) ) {
				return self::unreachable( $test, $deliveries );
			}
			++$checked;
			$failed = 0;
			foreach ( (array) ( $deliveries['data'] ?? array() ) as $delivery ) {
				if ( is_array( $delivery ) && 'failed' === ( $delivery['state'] ?? '' ) ) {
					++$failed;
				}
			}
			if ( $failed ) {
				$failing[] = sprintf( '%s (%d)', (string) ( $endpoint['url'] ?? $endpoint['id'] ), $failed );
			}
		}
		if ( $failing ) {
			return self::result(
				$test,
				'recommended',
				__( 'Some Consentry webhook deliveries are failing', 'consentry' ),
				sprintf(
					/* translators: %s: endpoint URLs with their count of failed deliveries. */
					__( 'Recent deliveries failed for: %s. See the Webhooks screen to read the errors and send them again.', 'consentry' ),
					implode( ', ', $failing )
				),
				true
			);
		}
		return self::result(
			$test,
			'good',
			__( 'Consentry webhook deliveries are not failing', 'consentry' ),
			sprintf(
				/* translators: %d: number of enabled webhook endpoints. */
				_n( 'No recent delivery failed (%d enabled endpoint).', 'No recent delivery failed (%d enabled endpoints).', $checked, 'consentry' ),
				$checked
			)
		);
	}

	/**
	 * `debug_information`: Consentry's section of the Info tab. Never the secret key.
	 *
	 * @param array<string, mixed> $info Sections.
	 * @return array<string, mixed>
	 */
	public static function debug_information( $info ): array {
		$info    = is_array( $info ) ? $info : array();
		$none    = __( 'Not set', 'consentry' );
		$version = __( 'Not reachable', 'consentry' );
		if ( '' === Settings::service_url() ) {
			$version = $none;
		} else {
			$health = ( new Service_Client( Settings::service_url() ) )->request( 'GET', '/health', null, array(), array( 'timeout' => self::TIMEOUT ) );
			if ( ! is_wp_error( $health ) ) {
				$version = (string) ( $health['version'] ?? '' );
			}
		}
		$age     = Settings::has_site() ? self::banner_config_age() : null;
		$waiting = Offline_Queue::length();

		$info['consentry'] = array(
			'label'  => __( 'Consentry', 'consentry' ),
			'fields' => array(
				'plugin_version'    => array(
					'label' => __( 'Plugin version', 'consentry' ),
					'value' => CONSENTRY_VERSION,
				),
				'service_url'       => array(
					'label' => __( 'Service URL', 'consentry' ),
					'value' => '' !== Settings::service_url() ? Settings::service_url() : $none,
				),
				'site_id'           => array(
					'label' => __( 'Connected site id', 'consentry' ),
					'value' => '' !== Settings::site_id() ? Settings::site_id() : $none,
				),
				'service_version'   => array(
					'label' => __( 'Service version', 'consentry' ),
					'value' => $version,
				),
				'secret_key'        => array(
					'label' => __( 'Secret key', 'consentry' ),
					'value' => '' !== Settings::secret_key() ? __( 'Stored (not shown)', 'consentry' ) : __( 'Not stored', 'consentry' ),
					'debug' => '' !== Settings::secret_key() ? 'stored' : 'missing',
				),
				'banner_config_age' => array(
					'label' => __( 'Banner configuration age', 'consentry' ),
					'value' => null === $age ? __( 'No copy cached', 'consentry' ) : human_time_diff( time() - $age ),
					'debug' => null === $age ? 'none' : $age . 's',
				),
				'queue_waiting'     => array(
					'label' => __( 'Choices waiting for the service', 'consentry' ),
					'value' => number_format_i18n( $waiting ),
					'debug' => $waiting,
				),
				'queue_dropped'     => array(
					'label' => __( 'Choices dropped by the queue', 'consentry' ),
					'value' => number_format_i18n( Offline_Queue::dropped() ),
					'debug' => Offline_Queue::dropped(),
				),
			),
		);
		return $info;
	}

	/**
	 * Seconds since the cached banner config was fetched, or null when none is known.
	 */
	public static function banner_config_age(): ?int {
		$fetched = (int) get_option( Banner_Config::OPTION_FETCHED, 0 );
		if ( $fetched <= 0 || ! is_string( get_option( Banner_Config::OPTION_LAST_GOOD ) ) ) {
			return null;
		}
		return max( 0, time() - $fetched );
	}

	/**
	 * The result of a test while the site is not connected.
	 *
	 * @param string $test Test key.
	 * @return array<string, string|array<string, string>>
	 */
	private static function not_connected( string $test ): array {
		return self::result(
			$test,
			'recommended',
			__( 'Consentry is not connected to a service', 'consentry' ),
			__( 'Until it is connected, visitors see no consent banner and no consent is recorded.', 'consentry' ),
			true
		);
	}

	/**
	 * The result of a test whose service request failed.
	 *
	 * @param string    $test  Test key.
	 * @param \WP_Error $error The failure.
	 * @return array<string, string|array<string, string>>
	 */
	private static function unreachable( string $test, \WP_Error $error ): array {
		return self::result(
			$test,
			'critical',
			__( 'The Consentry service could not be asked', 'consentry' ),
			$error->get_error_message(),
			true
		);
	}

	/**
	 * What a check found, before it becomes a Site Health result (plain texts).
	 *
	 * @param string $status      good, recommended or critical.
	 * @param string $label       Title.
	 * @param string $description Plain text.
	 * @param bool   $link        Whether Site Health links to the Consentry screen.
	 * @param string $version     The service's version, when it answered.
	 * @return array{status: string, label: string, description: string, link: bool, version: string}
	 */
	private static function finding( string $status, string $label, string $description, bool $link = false, string $version = '' ): array {
		return array(
			'status'      => $status,
			'label'       => $label,
			'description' => $description,
			'link'        => $link,
			'version'     => $version,
		);
	}

	/**
	 * A finding as a Site Health result.
	 *
	 * @param string               $test    Test key.
	 * @param array<string, mixed> $finding What was found (finding()).
	 * @return array<string, string|array<string, string>>
	 */
	private static function as_result( string $test, array $finding ): array {
		return self::result( $test, $finding['status'], $finding['label'], $finding['description'], $finding['link'] );
	}

	/**
	 * A Site Health result; texts are escaped here.
	 *
	 * @param string $test        Test key.
	 * @param string $status      good, recommended or critical.
	 * @param string $label       Title.
	 * @param string $description Plain text.
	 * @param bool   $link        Whether to link to the Consentry screen.
	 * @return array<string, string|array<string, string>>
	 */
	private static function result( string $test, string $status, string $label, string $description, bool $link = false ): array {
		return array(
			'label'       => esc_html( $label ),
			'status'      => $status,
			'badge'       => array(
				'label' => esc_html__( 'Consentry', 'consentry' ),
				'color' => 'good' === $status ? 'blue' : ( 'critical' === $status ? 'red' : 'orange' ),
			),
			'description' => '<p>' . esc_html( $description ) . '</p>',
			'actions'     => $link
				? sprintf( '<p><a href="%s">%s</a></p>', esc_url( admin_url( 'admin.php?page=' . Admin_Page::SLUG . '#connection' ) ), esc_html__( 'Open the Consentry settings', 'consentry' ) )
				: '',
			'test'        => $test,
		);
	}
}
