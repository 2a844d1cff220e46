<?php
/**
 * What uninstall.php removes.
 *
 * @package Consentry
 */

namespace Consentry;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Removes the plugin's options, transients and queue table from one site, or from every
 * site of a network. The proof of consent stays in the service: it is the
 * site owner's record.
 */
final class Uninstaller {

	/**
	 * Sites asked for per page of get_sites(), which answers only 100 by default.
	 */
	public const SITES_PAGE = 100;

	/**
	 * Options of one site (the settings class is not loaded during uninstall).
	 */
	private const OPTIONS = array(
		'consentry_service_url',
		'consentry_secret_key',
		'consentry_site_id',
		'consentry_public_key',
		'consentry_settings',
		'consentry_banner_config_last',
		'consentry_banner_config_fetched',
		'consentry_rate_windows',
		'consentry_cookie_declaration',
	);

	/**
	 * Cleans this site, or every site of the network.
	 */
	public static function run(): void {
		if ( is_multisite() ) {
			self::each_site( array( self::class, 'clean_site' ) );
		} else {
			self::clean_site();
		}
		// Users' dismissal of the set-up notice (user meta is shared by the network).
		delete_metadata( 'user', 0, 'consentry_setup_notice_dismissed', '', true );
	}

	/**
	 * Calls `$clean` once inside each site of the network, page by page, however many there are.
	 *
	 * @param callable $clean Called with no argument while switched to the site.
	 * @return int Sites visited.
	 */
	public static function each_site( callable $clean ): int {
		$visited = 0;
		do {
			$ids = get_sites(
				array(
					'fields'                 => 'ids',
					'number'                 => self::SITES_PAGE,
					'offset'                 => $visited,
					'orderby'                => 'id',
					'order'                  => 'ASC',
					'no_found_rows'          => true,
					'update_site_meta_cache' => false,
				)
			);
			foreach ( $ids as $id ) {
				switch_to_blog( (int) $id );
				try {
					$clean();
				} finally {
					restore_current_blog();
				}
			}
			$page     = count( $ids );
			$visited += $page;
		} while ( self::SITES_PAGE === $page );
		return $visited;
	}

	/**
	 * Deletes the options and transients of the current site.
	 */
	public static function clean_site(): void {
		global $wpdb;

		foreach ( self::OPTIONS as $option ) {
			delete_option( $option );
		}
		// The queue's table, options and cron event.
		require_once __DIR__ . '/class-offline-queue.php';
		Offline_Queue::uninstall();
		delete_transient( 'consentry_banner_config' );

		// Rate-limit windows of earlier versions were transients (consentry_rl_*); remove any left.
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- one-off cleanup, no API lists transients by prefix.
		$names = $wpdb->get_col(
			$wpdb->prepare(
				"SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s",
				$wpdb->esc_like( '_transient_consentry_' ) . '%',
				$wpdb->esc_like( '_transient_timeout_consentry_' ) . '%'
			)
		);
		foreach ( $names as $name ) {
			delete_option( $name );
		}
	}
}
