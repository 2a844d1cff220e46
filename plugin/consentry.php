<?php
/**
 * Plugin Name:       Consentry
 * Plugin URI:        https://github.com/consentry/consentry
 * Description:       Self-hosted consent management: a tiny accessible cookie banner, prior blocking of trackers, and proof of consent kept by your own Consentry service.
 * Version:           0.1.0
 * Requires at least: 6.6
 * Requires PHP:      8.0
 * Author:            Consentry
 * License:           GPLv2 or later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       consentry
 * Domain Path:       /languages
 *
 * @package Consentry
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'CONSENTRY_VERSION', '0.1.0' );
define( 'CONSENTRY_FILE', __FILE__ );
define( 'CONSENTRY_DIR', plugin_dir_path( __FILE__ ) );
define( 'CONSENTRY_URL', plugin_dir_url( __FILE__ ) );
define( 'CONSENTRY_REST_NAMESPACE', 'consentry/v1' );

require_once CONSENTRY_DIR . 'includes/class-plugin.php';

add_action( 'plugins_loaded', array( Consentry\Plugin::class, 'boot' ) );
register_activation_hook( __FILE__, array( Consentry\Plugin::class, 'activate' ) );
