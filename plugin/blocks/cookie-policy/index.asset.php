<?php // phpcs:disable WordPress.Files.FileName.NotHyphenatedLowercase -- the block API reads index.asset.php by this name.
/**
 * Dependencies of the block's editor script (written by hand: it has no build step).
 *
 * @package Consentry
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

return array(
	'dependencies' => array( 'wp-blocks', 'wp-element', 'wp-block-editor', 'wp-components', 'wp-i18n', 'wp-server-side-render' ),
	'version'      => '0.1.0',
);
