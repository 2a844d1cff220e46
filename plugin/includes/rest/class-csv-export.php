<?php
/**
 * The consent log export: the service's CSV, passed on.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * One export the service wrote into a temporary file, sent as the response
 * body and then removed. The columns and the formula escaping are the
 * service's (GET /sites/{id}/consent/export?format=csv): one CSV format.
 */
final class Csv_Export {

	/**
	 * Constructor.
	 *
	 * @param string $file Temporary file holding the export.
	 */
	public function __construct( private string $file ) {}

	/**
	 * Sends the file to the client and removes it.
	 */
	public function send(): void {
		readfile( $this->file ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_readfile -- a local temporary file of this request.
		$this->discard();
	}

	/**
	 * Removes the file.
	 */
	public function discard(): void {
		wp_delete_file( $this->file );
	}
}
