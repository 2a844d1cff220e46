<?php
/**
 * The consent log export, streamed as CSV.
 *
 * @package Consentry
 */

namespace Consentry\Rest;

use Consentry\Service_Client;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The rows of one export, written page by page as the service answers.
 */
final class Csv_Export {

	/**
	 * Constructor.
	 *
	 * @param Service_Client       $client  Client.
	 * @param string               $path    Events path.
	 * @param array<string, mixed> $filters Filters.
	 * @param array<string, mixed> $first   First page, already fetched.
	 */
	public function __construct(
		private Service_Client $client,
		private string $path,
		private array $filters,
		private array $first
	) {}

	/**
	 * Writes the header row and every event.
	 *
	 * @param resource $out Output stream.
	 */
	public function stream( $out ): void {
		fputcsv( $out, Events_Controller::CSV_COLUMNS, ',', '"', '' );
		$page   = $this->first;
		$offset = 0;
		while ( true ) {
			$events = is_array( $page['data'] ?? null ) ? $page['data'] : array();
			foreach ( $events as $event ) {
				$row = array();
				foreach ( Events_Controller::CSV_COLUMNS as $column ) {
					$row[] = Events_Controller::csv_cell( $event[ $column ] ?? '' );
				}
				fputcsv( $out, $row, ',', '"', '' );
			}
			flush();
			$offset += count( $events );
			$cursor  = $page['pagination']['nextCursor'] ?? null;
			$total   = (int) ( $page['pagination']['total'] ?? 0 );
			if ( ! $events || ( ! $cursor && $offset >= $total ) ) {
				return;
			}
			$query = $this->filters + array( 'limit' => Events_Controller::EXPORT_PAGE );
			if ( $cursor ) {
				$query['cursor'] = $cursor;
			} else {
				$query['offset'] = $offset;
			}
			$page = $this->client->request( 'GET', $this->path, null, $query );
			if ( is_wp_error( $page ) ) {
				// Headers are gone: say so in the file rather than end it silently short.
				fputcsv( $out, array( '# export incomplete: ' . $page->get_error_message() ), ',', '"', '' );
				return;
			}
		}
	}
}
