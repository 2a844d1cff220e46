<?php
/**
 * Removes everything the plugin stored when it is deleted from the Plugins screen.
 * The proof of consent stays in the service: it is the site owner's record.
 *
 * @package Consentry
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) || ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Deletes the options and transients of the current site.
 */
function consentry_uninstall_site(): void {
	global $wpdb;

	foreach ( array( 'consentry_service_url', 'consentry_secret_key', 'consentry_site_id', 'consentry_public_key', 'consentry_settings', 'consentry_banner_config_last' ) as $option ) {
		delete_option( $option );
	}
	delete_transient( 'consentry_banner_config' );

	// Rate-limit windows (consentry_rl_*) expire within a minute; remove any left.
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

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids' ) ) as $consentry_blog_id ) {
		switch_to_blog( (int) $consentry_blog_id );
		consentry_uninstall_site();
		restore_current_blog();
	}
} else {
	consentry_uninstall_site();
}
