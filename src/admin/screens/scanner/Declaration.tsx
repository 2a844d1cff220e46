import { ToggleControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { getDeclaration, setBumpPolicyOnNewItems } from '../../api/client.ts';
import Loaded from '../../components/Loaded.tsx';
import Messages from '../../components/Messages.tsx';
import ScreenCard from '../../components/ScreenCard.tsx';
import { formatTime } from '../../format.ts';
import { useLoad } from '../../hooks/useLoad.ts';
import { useNotices } from '../../hooks/useNotices.ts';

/**
 * The cookie declaration (shortcode and block) and the switch that asks
 * visitors again when new reviewed items join it. `version` changes after
 * every inventory change, so the card shows what is published now.
 */
export default function Declaration( { version }: { version: number } ) {
	const load = useLoad( getDeclaration, [ version ] );
	const notices = useNotices();

	const toggle = ( on: boolean ) =>
		notices.run( async () => {
			load.setData( await setBumpPolicyOnNewItems( on ) );
			return on
				? __(
						'Visitors will be asked again when new reviewed items join the declaration.',
						'consentry'
				  )
				: __(
						'New reviewed items no longer ask visitors again.',
						'consentry'
				  );
		} );

	return (
		<ScreenCard title={ __( 'Cookie declaration', 'consentry' ) }>
			<Loaded load={ load }>
				{ ( status ) => (
					<>
						<p>
							{ __(
								'Put the declaration on a page (your cookie or privacy policy) with the “Cookie declaration” block or this shortcode:',
								'consentry'
							) }{ ' ' }
							<code>{ status.shortcode }</code>
						</p>
						<p className="consentry-declaration-status">
							{ sprintf(
								/* translators: %d: number of published items */
								__(
									'It lists %d reviewed items, per category, in the page’s language; every visitor sees the same list, so page caches keep working.',
									'consentry'
								),
								status.published
							) }{ ' ' }
							{ status.fetchedAt
								? sprintf(
										/* translators: %s: date and time */
										__( 'Updated %s.', 'consentry' ),
										formatTime( status.fetchedAt )
								  )
								: '' }
						</p>
						<p className="consentry-help">
							{ __(
								'The banner’s preference centre links to it once its address is the banner’s “Cookie declaration URL” (Banner screen, for each language).',
								'consentry'
							) }
						</p>
						<div aria-live="polite" className="consentry-messages">
							<Messages notices={ notices } />
						</div>
						<ToggleControl
							__nextHasNoMarginBottom
							label={ __(
								'Ask visitors again when new reviewed items are added to the declaration',
								'consentry'
							) }
							help={
								status.lastBump
									? sprintf(
											/* translators: 1: policy version, 2: date and time */
											__(
												'Bumps the policy version, so the banner asks every visitor again. Last bumped to %1$s on %2$s.',
												'consentry'
											),
											status.lastBump.version,
											formatTime( status.lastBump.at )
									  )
									: __(
											'Bumps the policy version, so the banner asks every visitor again.',
											'consentry'
									  )
							}
							checked={ status.bumpPolicyOnNewItems }
							onChange={ toggle }
						/>
					</>
				) }
			</Loaded>
		</ScreenCard>
	);
}
