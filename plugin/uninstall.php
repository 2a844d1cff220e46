<?php
/**
 * Removes everything the plugin stored when it is deleted from the Plugins screen
 * (on a network, from every site). The proof of consent stays in the service.
 *
 * @package Consentry
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) || ! defined( 'ABSPATH' ) ) {
	exit;
}

require_once __DIR__ . '/includes/class-uninstaller.php';
Consentry\Uninstaller::run();
