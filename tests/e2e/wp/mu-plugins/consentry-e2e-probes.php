<?php
/**
 * Plugin Name: Consentry e2e — probes
 * Description: Test only. Loaded into the end-to-end WordPress by tests/e2e/global-setup.ts, never shipped.
 *
 * - The `X-Consentry-E2E-Address` request header stands in for a trusted
 *   proxy's: through the plugin's `consentry_visitor_ip` filter it becomes the
 *   visitor's address, so a spec can be several visitors from one loopback.
 * - The `X-Consentry-E2E-Locale` request header (e.g. `tr_TR`) is the front
 *   end's locale for that request (the `locale` filter): a page in another
 *   language, `<html lang>` included, without installing a language pack.
 * - GET /?consentry_probe=options answers { rows, consentryRows, rateWindows }:
 *   the number of rows in the options table, of those whose name holds
 *   "consentry", and the rate-limit option's autoload flag and size (null when
 *   absent).
 * - GET /?consentry_probe=uninstall-network runs the uninstaller's walk over a
 *   network of 250 sites (site ids 1001–1250, answered by the `sites_pre_query`
 *   filter, so no multisite install is needed) with a callback that only
 *   records where it was; answers { visited, total, blogAfter }.
 * - Consentry's scanner (its user agent names ConsentryScanner) visits as an
 *   anonymous visitor: Playground logs in every browser that has not got its
 *   `playground_auto_login_already_happened` cookie, and a scan should see
 *   what a visitor sees, not what Playground's admin sees.
 * - GET /?consentry_probe=forget-banner-config deletes the banner config's
 *   transient (the plugin's five-minute copy), as its expiry would, keeping the
 *   last good copy: the next page must do without the service when it is down.
 * - GET /?consentry_probe=queue-cron-due moves the queue's next cron run
 *   (consentry_flush_queue) to now, as a minute passing would, and lifts the
 *   lock a page's cron spawn holds for a minute (Playground's loopback spawn
 *   never runs); answers { due } (whether one was planned). A request to
 *   wp-cron.php then runs it.
 * - GET /?consentry_probe=queue-uninstall runs the uninstaller's part for the
 *   queue (Offline_Queue::uninstall) and then installs the table again;
 *   answers whether the table and its version option existed before, after
 *   the uninstall, and after the new install.
 * - `?consentry_e2e_locale=tr_TR` renders that page in another locale (a
 *   multilingual plugin's page language, without one installed).
 * - GET /?consentry_probe=blocking-page is the front page with tracker tags
 *   whose start tags hold a `>` or `</script>` inside a quoted attribute value,
 *   printed in the footer (inside server-side blocking's output buffer).
 * - GET /?consentry_probe=paths answers { pluginDir, bundle: { readable, size } }:
 *   WordPress's own plugins folder and the service bundle found there, which the
 *   Connection screen's set-up steps must name (read without the plugin's code).
 *
 * @package Consentry
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

if ( isset( $_SERVER['HTTP_USER_AGENT'] ) && false !== stripos( sanitize_text_field( wp_unslash( $_SERVER['HTTP_USER_AGENT'] ) ), 'ConsentryScanner' ) ) {
	$_COOKIE['playground_auto_login_already_happened'] = '1';
}

// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- read-only test switch.
$consentry_e2e_locale = isset( $_GET['consentry_e2e_locale'] ) ? sanitize_text_field( wp_unslash( $_GET['consentry_e2e_locale'] ) ) : '';
if ( preg_match( '/^[a-z]{2}_[A-Z]{2}$/', $consentry_e2e_locale ) ) {
	add_filter(
		'locale',
		static function () use ( $consentry_e2e_locale ) {
			return $consentry_e2e_locale;
		}
	);
}

add_filter(
	'consentry_visitor_ip',
	static function ( $ip ) {
		$given = isset( $_SERVER['HTTP_X_CONSENTRY_E2E_ADDRESS'] ) ? sanitize_text_field( wp_unslash( $_SERVER['HTTP_X_CONSENTRY_E2E_ADDRESS'] ) ) : '';
		return false !== filter_var( $given, FILTER_VALIDATE_IP ) ? $given : $ip;
	}
);

if ( isset( $_SERVER['HTTP_X_CONSENTRY_E2E_LOCALE'] ) && ! is_admin() ) {
	$consentry_e2e_locale = preg_replace( '/[^A-Za-z_]/', '', sanitize_text_field( wp_unslash( $_SERVER['HTTP_X_CONSENTRY_E2E_LOCALE'] ) ) );
	if ( '' !== $consentry_e2e_locale ) {
		add_filter( 'locale', static fn() => $consentry_e2e_locale );
	}
}

// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- read-only test probe.
$consentry_e2e_probe = isset( $_GET['consentry_probe'] ) ? sanitize_key( wp_unslash( $_GET['consentry_probe'] ) ) : '';

if ( 'options' === $consentry_e2e_probe ) {
	add_action(
		'init',
		static function () {
			global $wpdb;
			// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- what the probe measures.
			$rows = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->options}" );
			// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- what the probe measures.
			$ours = (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->options} WHERE option_name LIKE %s", '%consentry%' ) );
			// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- what the probe measures.
			$row = $wpdb->get_row( $wpdb->prepare( "SELECT autoload, LENGTH(option_value) AS size FROM {$wpdb->options} WHERE option_name = %s", 'consentry_rate_windows' ), ARRAY_A );
			nocache_headers();
			wp_send_json(
				array(
					'rows'          => $rows,
					'consentryRows' => $ours,
					'rateWindows'   => $row ? array(
						'autoload' => $row['autoload'],
						'size'     => (int) $row['size'],
					) : null,
				)
			);
		},
		PHP_INT_MAX
	);
}

if ( 'uninstall-network' === $consentry_e2e_probe ) {
	add_action(
		'init',
		static function () {
			if ( ! function_exists( 'get_sites' ) ) {
				// A single site: the site query and blog switching come from multisite's files.
				require_once ABSPATH . WPINC . '/class-wp-site-query.php';
				require_once ABSPATH . WPINC . '/ms-blogs.php';
			}
			require_once WP_PLUGIN_DIR . '/consentry/includes/class-uninstaller.php';
			$network = range( 1001, 1250 );
			add_filter(
				'sites_pre_query',
				static function ( $sites, $query ) use ( $network ) {
					$vars = $query->query_vars;
					return array_slice( $network, (int) $vars['offset'], $vars['number'] ? (int) $vars['number'] : null );
				},
				10,
				2
			);
			$visited = array();
			$total   = Consentry\Uninstaller::each_site(
				static function () use ( &$visited ) {
					$visited[] = get_current_blog_id();
				}
			);
			nocache_headers();
			wp_send_json(
				array(
					'visited'   => $visited,
					'total'     => $total,
					'blogAfter' => get_current_blog_id(),
				)
			);
		},
		PHP_INT_MAX
	);
}

if ( 'blocking-page' === $consentry_e2e_probe ) {
	add_action(
		'wp_footer',
		static function () {
			// phpcs:disable WordPress.WP.EnqueuedResources -- the tags under test, printed as themes print them.
			echo '<iframe id="gt-title" title="Clips > Trailers" width="560" height="315" src="https://www.youtube-nocookie.com/embed/e2e-gt"></iframe>' . "\n";
			echo "<iframe id='gt-single' data-note='a>b' src=\"https://player.vimeo.com/video/7\"></iframe>\n";
			echo '<iframe/id="gt-slashes"/title="x > y"/src="https://www.youtube.com/embed/e2e-slashes"></iframe>' . "\n";
			echo '<script id="gt-script" data-note="</script>" async src="https://www.googletagmanager.com/gtag/js?id=G-E2EQUOTED"></script>' . "\n";
			echo '<script id="gt-harmless" data-note="a > b">window.__consentryHarmless = true;</script>' . "\n";
			// phpcs:enable
		}
	);
}

if ( 'forget-banner-config' === $consentry_e2e_probe ) {
	add_action(
		'init',
		static function () {
			nocache_headers();
			wp_send_json(
				array(
					'deleted'  => delete_transient( 'consentry_banner_config' ),
					'lastGood' => is_string( get_option( 'consentry_banner_config_last' ) ),
				)
			);
		},
		PHP_INT_MAX
	);
}

if ( 'queue-uninstall' === $consentry_e2e_probe ) {
	add_action(
		'init',
		static function () {
			global $wpdb;
			require_once WP_PLUGIN_DIR . '/consentry/includes/class-offline-queue.php';
			$state = static function () use ( $wpdb ) {
				$table = \Consentry\Offline_Queue::table();
				return array(
					// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- what the probe measures.
					'table'  => $table === $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $table ) ),
					'option' => false !== get_option( \Consentry\Offline_Queue::OPTION_DB_VERSION ),
				);
			};
			$before = $state();
			\Consentry\Offline_Queue::uninstall();
			$after = $state();
			\Consentry\Offline_Queue::install();
			nocache_headers();
			wp_send_json(
				array(
					'before'    => $before,
					'after'     => $after,
					'installed' => $state(),
				)
			);
		},
		PHP_INT_MAX
	);
}

// The queue at its cap: filler rows (marked, so that 'queue-unfill' removes only them) up to Offline_Queue::CAP.
if ( 'queue-fill' === $consentry_e2e_probe || 'queue-unfill' === $consentry_e2e_probe ) {
	add_action(
		'init',
		static function () use ( $consentry_e2e_probe ) {
			global $wpdb;
			require_once WP_PLUGIN_DIR . '/consentry/includes/class-offline-queue.php';
			$table  = \Consentry\Offline_Queue::table();
			$filler = '{"consentryE2eFiller":true}';
			if ( 'queue-fill' === $consentry_e2e_probe ) {
				$missing = \Consentry\Offline_Queue::CAP - \Consentry\Offline_Queue::length();
				while ( $missing > 0 ) {
					$rows = min( 500, $missing );
					// phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- the probe's own rows, in chunks.
					$wpdb->query( $wpdb->prepare( "INSERT INTO {$table} (queued_at, event) VALUES " . implode( ',', array_fill( 0, $rows, '(%d, %s)' ) ), ...array_merge( ...array_fill( 0, $rows, array( time(), $filler ) ) ) ) );
					$missing -= $rows;
				}
			} else {
				// phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the probe's own rows.
				$wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE event = %s", $filler ) );
			}
			nocache_headers();
			wp_send_json( array( 'waiting' => \Consentry\Offline_Queue::length() ) );
		},
		PHP_INT_MAX
	);
}

if ( 'paths' === $consentry_e2e_probe ) {
	add_action(
		'init',
		static function () {
			$bundle = WP_PLUGIN_DIR . '/consentry/service/consentry-service.mjs';
			nocache_headers();
			wp_send_json(
				array(
					'pluginDir' => WP_PLUGIN_DIR,
					'bundle'    => array(
						'readable' => is_readable( $bundle ),
						'size'     => is_readable( $bundle ) ? filesize( $bundle ) : null,
					),
				)
			);
		},
		PHP_INT_MAX
	);
}

if ( 'queue-cron-due' === $consentry_e2e_probe ) {
	add_action(
		'init',
		static function () {
			$next = wp_next_scheduled( 'consentry_flush_queue' );
			if ( false !== $next ) {
				wp_unschedule_event( $next, 'consentry_flush_queue' );
				wp_schedule_single_event( time() - 1, 'consentry_flush_queue' );
			}
			delete_transient( 'doing_cron' );
			nocache_headers();
			wp_send_json( array( 'due' => false !== $next ) );
		},
		PHP_INT_MAX
	);
}
