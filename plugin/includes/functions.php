<?php
/**
 * Global functions other code may call.
 *
 * @package Consentry
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The banner configuration of the linked site (BannerConfigResponse), from the
 * cached copy; null when the plugin is not connected or no copy was ever fetched.
 *
 * @return array<string, mixed>|null
 */
function consentry_get_banner_config(): ?array {
	return Consentry\Banner_Config::get();
}
