<?php
/**
 * Visitors' consent choices held while the service is down.
 *
 * @package Consentry
 */

namespace Consentry;

use WP_Error;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The banner posts choices with `sendBeacon`, which never learns the answer,
 * so the browser cannot retry: the queue lives here. When the visitor route
 * cannot reach the service (no answer, timeout, 5xx), the choice, already
 * validated, is kept in the `{prefix}consentry_queue` table and the browser
 * gets 202. A WP-Cron event runs every minute while the table holds rows, and
 * a successful live forward sends the oldest batch on at once.
 *
 * Queued choices go through the secret-key route
 * `POST /consent/events/batch`, not the public visitor route: only a
 * secret-key caller may date a choice (`occurredAt`, the visitor's time) and
 * give the visitor's browser and address; the public route refuses those
 * fields, so no visitor can backdate proof. Each batch carries an
 * `Idempotency-Key` kept on its rows, and a retry resends exactly the same
 * batch: a batch recorded whose answer was lost is replayed, not recorded
 * twice. The service keeps keys 24 hours.
 *
 * Only the anonymised address is stored (IPv4 /24, IPv6 /48: the service's
 * own rule, which leaves it unchanged), never the raw one.
 */
final class Offline_Queue {

	/**
	 * Table name, after the site's prefix.
	 */
	public const TABLE = 'consentry_queue';

	/**
	 * Most choices held. Beyond it new choices are not kept (the visitor route
	 * answers 503 as without a queue, and the server log says so): the oldest
	 * are the ones the service has waited longest for, and Site Health turns
	 * critical well before.
	 */
	public const CAP = 10000;

	/**
	 * Share of the cap from which Site Health reports critical.
	 */
	public const NEARLY_FULL = 0.9;

	/**
	 * Choices per request to the service (the batch route takes 500).
	 */
	public const BATCH_SIZE = 100;

	/**
	 * Batches one cron run sends at most; the next minute's run goes on.
	 */
	public const CRON_BATCHES = 20;

	/**
	 * A batch the service refused without naming its items (400, 413) is tried
	 * this many times, then its choices are dropped and logged.
	 */
	public const MAX_ATTEMPTS = 5;

	/**
	 * The cron hook and how often it runs while the table holds rows.
	 */
	public const CRON_HOOK     = 'consentry_flush_queue';
	public const CRON_INTERVAL = MINUTE_IN_SECONDS;

	/**
	 * Version of the table's shape (dbDelta runs when the stored one differs).
	 */
	public const DB_VERSION        = '1';
	public const OPTION_DB_VERSION = 'consentry_queue_db_version';

	/**
	 * Choices dropped so far (cap reached, or refused by the service for good).
	 */
	public const OPTION_DROPPED = 'consentry_queue_dropped';

	/**
	 * One flush at a time: this option holds when the running one started.
	 */
	public const OPTION_LOCK = 'consentry_queue_lock';
	private const LOCK_STALE = 5 * MINUTE_IN_SECONDS;

	/**
	 * Seconds a batch request may take.
	 */
	private const TIMEOUT = 15;

	/**
	 * The table's full name.
	 */
	public static function table(): string {
		global $wpdb;
		return $wpdb->prefix . self::TABLE;
	}

	/**
	 * Creates or updates the table (activation; upgrades find an older version on first use).
	 */
	public static function install(): void {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$table   = self::table();
		$charset = $wpdb->get_charset_collate();
		// `event` is the RecordConsentBody item as it is sent; `batch` the Idempotency-Key of the batch it last left in.
		dbDelta(
			"CREATE TABLE {$table} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  queued_at bigint(20) unsigned NOT NULL,
  event longtext NOT NULL,
  batch varchar(64) NOT NULL DEFAULT '',
  attempts smallint(5) unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY  (id),
  KEY batch (batch)
) {$charset};"
		);
		update_option( self::OPTION_DB_VERSION, self::DB_VERSION, false );
	}

	/**
	 * Whether the table is there in its current shape (creating it when not).
	 */
	private static function ready(): bool {
		if ( self::DB_VERSION !== get_option( self::OPTION_DB_VERSION ) ) {
			self::install();
		}
		return self::DB_VERSION === get_option( self::OPTION_DB_VERSION );
	}

	/**
	 * Keeps one validated choice for the service.
	 *
	 * @param array<string, mixed> $fields     The visitor route's fields (without the public key).
	 * @param string               $ip         The visitor's address, or ''.
	 * @param string               $user_agent The visitor's browser, or ''.
	 * @return bool Whether it was kept (false: the queue is full or the table is missing).
	 */
	public static function enqueue( array $fields, string $ip, string $user_agent ): bool {
		global $wpdb;
		if ( ! self::ready() ) {
			return false;
		}
		$table = self::table();
		if ( self::length() >= self::CAP ) {
			update_option( self::OPTION_DROPPED, (int) get_option( self::OPTION_DROPPED, 0 ) + 1, false );
			// phpcs:ignore WordPress.PHP.DevelopmentFunctions -- the server log is where the site owner looks.
			error_log( sprintf( 'Consentry: %d consent choices are waiting for the service already; this one is not kept.', self::CAP ) );
			return false;
		}
		$now   = microtime( true );
		$event = array( 'siteId' => Settings::site_id() ) + $fields + array(
			'occurredAt' => gmdate( 'Y-m-d\TH:i:s', (int) $now ) . sprintf( '.%03dZ', (int) ( ( $now - floor( $now ) ) * 1000 ) ),
		);
		if ( '' !== $user_agent ) {
			$event['userAgent'] = $user_agent;
		}
		$anonymised = self::anonymize_ip( $ip );
		if ( '' !== $anonymised ) {
			$event['visitorIp'] = $anonymised;
		}
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- the plugin's own table; a queue is never cached.
		$inserted = $wpdb->insert(
			$table,
			array(
				'queued_at' => (int) $now,
				'event'     => (string) wp_json_encode( $event ),
			),
			array( '%d', '%s' )
		);
		if ( ! $inserted ) {
			return false;
		}
		self::schedule();
		return true;
	}

	/**
	 * Choices waiting (0 when the table was never made).
	 */
	public static function length(): int {
		global $wpdb;
		if ( self::DB_VERSION !== get_option( self::OPTION_DB_VERSION ) ) {
			return 0;
		}
		$table = self::table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the plugin's own table, never cached.
		return (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$table}" );
	}

	/**
	 * When the oldest waiting choice was made (Unix time), or null.
	 */
	public static function oldest(): ?int {
		global $wpdb;
		if ( self::DB_VERSION !== get_option( self::OPTION_DB_VERSION ) ) {
			return null;
		}
		$table = self::table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the plugin's own table, never cached.
		$oldest = $wpdb->get_var( "SELECT MIN(queued_at) FROM {$table}" );
		return null === $oldest ? null : (int) $oldest;
	}

	/**
	 * Choices dropped so far.
	 */
	public static function dropped(): int {
		return (int) get_option( self::OPTION_DROPPED, 0 );
	}

	/**
	 * The cron event: sends what it can, and comes back in a minute while anything waits.
	 */
	public static function run_cron(): void {
		self::flush( self::CRON_BATCHES );
	}

	/**
	 * After a live forward worked: the service is back, so the oldest batch
	 * goes now, once this request's answer is out. Costs nothing while the
	 * queue is empty (the cron event, in the autoloaded cron option, says so).
	 */
	public static function after_forward(): void {
		if ( false !== wp_next_scheduled( self::CRON_HOOK ) ) {
			add_action( 'shutdown', array( self::class, 'flush_after_answer' ), 100 );
		}
	}

	/**
	 * `shutdown`: the answer goes to the browser first, then one batch.
	 */
	public static function flush_after_answer(): void {
		if ( function_exists( 'fastcgi_finish_request' ) ) {
			fastcgi_finish_request();
		}
		self::flush( 1 );
	}

	/**
	 * Sends waiting choices, oldest first, in batches.
	 *
	 * @param int $max_batches Batches to send at most.
	 * @return array{sent: int, dropped: int, waiting: int, stopped: string} What happened; `stopped` says why it
	 *         ended: `empty`, `limit`, `busy` (another flush runs), `unavailable`, `refused` or `not_connected`.
	 */
	public static function flush( int $max_batches ): array {
		$report = array(
			'sent'    => 0,
			'dropped' => 0,
			'waiting' => 0,
			'stopped' => 'empty',
		);
		if ( self::DB_VERSION !== get_option( self::OPTION_DB_VERSION ) ) {
			return $report;
		}
		if ( ! self::lock() ) {
			$report['stopped'] = 'busy';
			$report['waiting'] = self::length();
			return $report;
		}
		try {
			$report['dropped'] += self::drop_exhausted();
			for ( $i = 0; $i < $max_batches; $i++ ) {
				if ( ! Settings::is_connected() ) {
					$report['stopped'] = 'not_connected';
					break;
				}
				$batch = self::next_batch();
				if ( ! $batch ) {
					$report['stopped'] = 'empty';
					break;
				}
				$outcome            = self::send( $batch['key'], $batch['rows'] );
				$report['sent']    += $outcome['sent'];
				$report['dropped'] += $outcome['dropped'];
				if ( '' !== $outcome['stopped'] ) {
					$report['stopped'] = $outcome['stopped'];
					break;
				}
				$report['stopped'] = 'limit';
			}
		} finally {
			self::unlock();
		}
		$report['waiting'] = self::length();
		if ( $report['waiting'] > 0 ) {
			self::schedule();
		} else {
			wp_clear_scheduled_hook( self::CRON_HOOK );
		}
		return $report;
	}

	/**
	 * The batch to send: one already sent whose answer never came (the same
	 * rows under the same key), else the oldest rows under a new key.
	 *
	 * @return array{key: string, rows: array<int, array<string, mixed>>}|null
	 */
	private static function next_batch(): ?array {
		global $wpdb;
		$table = self::table();
		// phpcs:disable WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the plugin's own table, never cached.
		$key = (string) $wpdb->get_var( "SELECT batch FROM {$table} WHERE batch <> '' ORDER BY id LIMIT 1" );
		if ( '' === $key ) {
			$ids = array_map( 'intval', (array) $wpdb->get_col( $wpdb->prepare( "SELECT id FROM {$table} WHERE batch = '' ORDER BY id LIMIT %d", self::BATCH_SIZE ) ) );
			if ( ! $ids ) {
				return null;
			}
			$key = 'consentry-queue-' . wp_generate_uuid4();
			// The oldest free rows: every free row between the first and the last of them.
			$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET batch = %s WHERE batch = '' AND id BETWEEN %d AND %d", $key, min( $ids ), max( $ids ) ) );
		}
		$rows = (array) $wpdb->get_results( $wpdb->prepare( "SELECT id, event, attempts FROM {$table} WHERE batch = %s ORDER BY id", $key ), ARRAY_A );
		// phpcs:enable
		return $rows ? array(
			'key'  => $key,
			'rows' => $rows,
		) : null;
	}

	/**
	 * Sends one batch and settles its rows.
	 *
	 * @param string                           $key  Idempotency-Key of the batch.
	 * @param array<int, array<string, mixed>> $rows Rows (id, event, attempts), in order.
	 * @return array{sent: int, dropped: int, stopped: string} `stopped` is '' when the next batch may go.
	 */
	private static function send( string $key, array $rows ): array {
		$events = array();
		foreach ( $rows as $row ) {
			$events[] = json_decode( (string) $row['event'] );
		}
		$ids    = array_map( static fn( $row ) => (int) $row['id'], $rows );
		$result = Service_Client::from_settings()->request(
			'POST',
			'/consent/events/batch',
			array( 'events' => $events ),
			array(),
			array(
				'headers' => array( 'Idempotency-Key' => $key ),
				'timeout' => self::TIMEOUT,
			)
		);
		if ( ! is_wp_error( $result ) ) {
			self::delete( $ids );
			return array(
				'sent'    => count( $ids ),
				'dropped' => 0,
				'stopped' => '',
			);
		}
		$data   = (array) $result->get_error_data();
		$status = (int) ( $data['status'] ?? 503 );
		if ( 'consentry_service_unavailable' === $result->get_error_code() || $status >= 500 ) {
			// Down again: the same batch, same key, next time.
			return array(
				'sent'    => 0,
				'dropped' => 0,
				'stopped' => 'unavailable',
			);
		}
		if ( 422 === $status && 'VALIDATION_ERROR' === ( $data['serviceCode'] ?? '' ) ) {
			$bad = self::refused_items( $data, count( $ids ) );
			if ( $bad ) {
				// All or none: nothing of this batch was recorded. The refused choices never will be; the rest go again.
				$dropped = array_values( array_intersect_key( $ids, array_flip( $bad ) ) );
				self::log_dropped( $dropped, $result );
				self::delete( $dropped );
				self::release( array_values( array_diff( $ids, $dropped ) ), false );
				return array(
					'sent'    => 0,
					'dropped' => count( $dropped ),
					'stopped' => '',
				);
			}
		}
		if ( in_array( $status, array( 400, 413, 422 ), true ) ) {
			// Refused as a whole: nothing recorded, so a new key is safe; after MAX_ATTEMPTS the rows go.
			self::release( $ids, true );
			return array(
				'sent'    => 0,
				'dropped' => 0,
				'stopped' => 'refused',
			);
		}
		// 401, 403, 404 (key or site gone), 409 (the same key still running), 429: keep everything, try later.
		// phpcs:ignore WordPress.PHP.DevelopmentFunctions -- the server log is where the site owner looks.
		error_log( sprintf( 'Consentry: sending queued consent choices: %s (HTTP %d)', $result->get_error_message(), $status ) );
		return array(
			'sent'    => 0,
			'dropped' => 0,
			'stopped' => 'refused',
		);
	}

	/**
	 * Positions of the batch's items a 422 names (`events/3/categories/x`).
	 *
	 * @param array<string, mixed> $data  Error data (details.fields).
	 * @param int                  $count Items in the batch.
	 * @return int[]
	 */
	private static function refused_items( array $data, int $count ): array {
		$bad    = array();
		$fields = is_array( $data['details']['fields'] ?? null ) ? $data['details']['fields'] : array();
		foreach ( $fields as $field ) {
			if ( is_array( $field ) && preg_match( '#^events/(\d+)/#', (string) ( $field['field'] ?? '' ), $match ) && (int) $match[1] < $count ) {
				$bad[ (int) $match[1] ] = true;
			}
		}
		return array_keys( $bad );
	}

	/**
	 * Deletes rows.
	 *
	 * @param int[] $ids Row ids.
	 */
	private static function delete( array $ids ): void {
		global $wpdb;
		if ( ! $ids ) {
			return;
		}
		$table = self::table();
		$list  = implode( ',', array_fill( 0, count( $ids ), '%d' ) );
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- the plugin's own table; $list holds one %d per id.
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE id IN ({$list})", $ids ) );
	}

	/**
	 * Frees rows from their batch (the service recorded none of it), counting an attempt when asked.
	 *
	 * @param int[] $ids     Row ids.
	 * @param bool  $attempt Whether this counts as a failed attempt.
	 */
	private static function release( array $ids, bool $attempt ): void {
		global $wpdb;
		if ( ! $ids ) {
			return;
		}
		$table = self::table();
		$list  = implode( ',', array_fill( 0, count( $ids ), '%d' ) );
		$more  = $attempt ? 1 : 0;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the plugin's own table.
		$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET batch = '', attempts = attempts + %d WHERE id IN ({$list})", array_merge( array( $more ), $ids ) ) );
	}

	/**
	 * Drops rows refused MAX_ATTEMPTS times.
	 *
	 * @return int Rows dropped.
	 */
	private static function drop_exhausted(): int {
		global $wpdb;
		$table = self::table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the plugin's own table, never cached.
		$ids = array_map( 'intval', (array) $wpdb->get_col( $wpdb->prepare( "SELECT id FROM {$table} WHERE attempts >= %d", self::MAX_ATTEMPTS ) ) );
		if ( $ids ) {
			self::log_dropped( $ids, new WP_Error( 'consentry_refused', sprintf( 'refused %d times', self::MAX_ATTEMPTS ) ) );
			self::delete( $ids );
		}
		return count( $ids );
	}

	/**
	 * Counts and logs choices the service will never take.
	 *
	 * @param int[]    $ids   Row ids.
	 * @param WP_Error $error Why.
	 */
	private static function log_dropped( array $ids, WP_Error $error ): void {
		update_option( self::OPTION_DROPPED, self::dropped() + count( $ids ), false );
		// phpcs:ignore WordPress.PHP.DevelopmentFunctions -- the server log is where the site owner looks.
		error_log( sprintf( 'Consentry: %d queued consent choices dropped, refused by the service: %s %s', count( $ids ), $error->get_error_message(), (string) wp_json_encode( $error->get_error_data() ) ) );
	}

	/**
	 * The next cron run, a minute from now, unless one is planned.
	 */
	private static function schedule(): void {
		if ( false === wp_next_scheduled( self::CRON_HOOK ) ) {
			wp_schedule_single_event( time() + self::CRON_INTERVAL, self::CRON_HOOK );
		}
	}

	/**
	 * Takes the flush lock (add_option inserts only when absent: one winner).
	 */
	private static function lock(): bool {
		if ( add_option( self::OPTION_LOCK, time(), '', false ) ) {
			return true;
		}
		$since = (int) get_option( self::OPTION_LOCK, 0 );
		if ( $since > time() - self::LOCK_STALE ) {
			return false;
		}
		// A flush that died long ago (a fatal error, a killed worker) left it.
		delete_option( self::OPTION_LOCK );
		return add_option( self::OPTION_LOCK, time(), '', false );
	}

	/**
	 * Releases the flush lock.
	 */
	private static function unlock(): void {
		delete_option( self::OPTION_LOCK );
	}

	/**
	 * The address as the service keeps it: IPv4 /24, IPv6 /48 (`2001:db8:7::`), '' when not an address.
	 *
	 * @param string $ip Address.
	 */
	public static function anonymize_ip( string $ip ): string {
		$packed = false !== filter_var( $ip, FILTER_VALIDATE_IP ) ? inet_pton( $ip ) : false;
		if ( false === $packed ) {
			return '';
		}
		if ( 16 === strlen( $packed ) && str_starts_with( $packed, str_repeat( "\0", 10 ) . "\xff\xff" ) ) {
			$packed = substr( $packed, 12 );
		}
		if ( 4 === strlen( $packed ) ) {
			$bytes = unpack( 'C4', $packed );
			return sprintf( '%d.%d.%d.0', $bytes[1], $bytes[2], $bytes[3] );
		}
		$words = unpack( 'n3', $packed );
		return sprintf( '%x:%x:%x::', $words[1], $words[2], $words[3] );
	}

	/**
	 * Removes the table and the queue's options (uninstall).
	 */
	public static function uninstall(): void {
		global $wpdb;
		$table = self::table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.DirectDatabaseQuery.SchemaChange, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- removing the plugin's own table.
		$wpdb->query( "DROP TABLE IF EXISTS {$table}" );
		delete_option( self::OPTION_DB_VERSION );
		delete_option( self::OPTION_DROPPED );
		delete_option( self::OPTION_LOCK );
		wp_clear_scheduled_hook( self::CRON_HOOK );
	}
}
