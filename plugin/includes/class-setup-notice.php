<?php
/**
 * The guided set-up notice shown while the site is not connected.
 *
 * @package Consentry
 */

namespace Consentry;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * While the site is not connected, administrators see a notice on every
 * wp-admin screen (but Consentry's own) that leads to the Connection screen.
 * Each user may dismiss it; the dismissal is kept in their user meta, through
 * a nonce-checked POST to admin-post.php.
 */
final class Setup_Notice {

	public const USER_META = 'consentry_setup_notice_dismissed';
	public const ACTION    = 'consentry_dismiss_setup_notice';

	/**
	 * `admin_notices`: prints the notice when it applies.
	 */
	public static function render(): void {
		if ( ! self::applies() ) {
			return;
		}
		$connection = admin_url( 'admin.php?page=' . Admin_Page::SLUG . '#connection' );
		?>
		<div class="notice notice-info consentry-setup-notice" data-testid="consentry-setup-notice">
			<p>
				<strong><?php esc_html_e( 'Consentry is not connected yet.', 'consentry' ); ?></strong>
				<?php esc_html_e( 'Visitors see no consent banner until this site is connected to a Consentry service. The Connection screen shows the steps for this host.', 'consentry' ); ?>
			</p>
			<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
				<p>
					<a class="button button-primary" href="<?php echo esc_url( $connection ); ?>"><?php esc_html_e( 'Set up the connection', 'consentry' ); ?></a>
					<input type="hidden" name="action" value="<?php echo esc_attr( self::ACTION ); ?>" />
					<?php wp_nonce_field( self::ACTION ); ?>
					<button type="submit" class="button button-link"><?php esc_html_e( 'Dismiss this notice', 'consentry' ); ?></button>
				</p>
			</form>
		</div>
		<?php
	}

	/**
	 * Whether the current user should see the notice on this screen.
	 */
	public static function applies(): bool {
		if ( ! current_user_can( Admin_Page::CAPABILITY ) || Settings::is_connected() ) {
			return false;
		}
		if ( get_user_meta( get_current_user_id(), self::USER_META, true ) ) {
			return false;
		}
		$screen = function_exists( 'get_current_screen' ) ? get_current_screen() : null;
		// Consentry's own screen explains the steps itself.
		return ! ( $screen && str_ends_with( (string) $screen->id, '_page_' . Admin_Page::SLUG ) );
	}

	/**
	 * `admin_post_consentry_dismiss_setup_notice`: remembers the dismissal for this user, then goes back.
	 */
	public static function dismiss(): void {
		check_admin_referer( self::ACTION );
		if ( ! current_user_can( Admin_Page::CAPABILITY ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to do that.', 'consentry' ), 403 );
		}
		update_user_meta( get_current_user_id(), self::USER_META, time() );
		wp_safe_redirect( wp_get_referer() ? wp_get_referer() : admin_url() );
		exit;
	}
}
