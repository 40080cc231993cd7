package io.hotpass.ingest.normalise;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneNumberDesc;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.RegExp;
import dk.brics.automaton.RunAutomaton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link PhoneNumberUtil#isValidNumber} for numbers of a country code that belongs to one region, as one
 * deterministic automaton a country code, built from libphonenumber's own metadata (ADR 0025).
 *
 * <p>libphonenumber calls a number valid when its national significant number matches the region's
 * general pattern and the pattern of at least one number type (premium rate, toll free, shared cost,
 * VoIP, personal, pager, UAN, voicemail, fixed line, mobile), each with its possible lengths. It tries
 * these one by one with {@code java.util.regex} — looking a pattern up in a synchronised cache and
 * matching it twice (prefix, then whole) — about 3 µs a number, a fifth of an upload's normalising.
 * The same condition as one minimal DFA ({@code general ∩ (type₁ ∪ … ∪ typeₙ)}, each pattern
 * intersected with its lengths) answers in one pass over the digits.
 *
 * <p>Country codes shared by several regions (+1, +7, +44, …) choose the region first, by leading
 * digits or by trying each region: those, the non-geographic codes and any pattern this cannot
 * translate go to libphonenumber. {@code PhoneValidityTest} compares the two for example numbers of
 * every type of every region and for mutations of them.
 */
final class PhoneValidity {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    /** The automaton of a country code, or empty when libphonenumber answers for it. Built on first use. */
    private static final ConcurrentHashMap<Integer, Optional<RunAutomaton>> BY_COUNTRY_CODE = new ConcurrentHashMap<>();

    private PhoneValidity() {
    }

    /** Whether libphonenumber's {@code isValidNumber} holds for {@code number}. */
    static boolean isValid(PhoneNumber number) {
        Optional<RunAutomaton> valid = BY_COUNTRY_CODE.computeIfAbsent(number.getCountryCode(), PhoneValidity::build);
        if (valid.isEmpty()) {
            return PHONES.isValidNumber(number);
        }
        return valid.get().run(PHONES.getNationalSignificantNumber(number));
    }

    /** {@code number} in E.164, as {@code PhoneNumberUtil.format(number, E164)} writes it. */
    static String e164(PhoneNumber number) {
        return "+" + number.getCountryCode() + PHONES.getNationalSignificantNumber(number);
    }

    /** Whether numbers of {@code countryCode} are answered by an automaton (for the tests). */
    static boolean covers(int countryCode) {
        return BY_COUNTRY_CODE.computeIfAbsent(countryCode, PhoneValidity::build).isPresent();
    }

    private static Optional<RunAutomaton> build(int countryCode) {
        List<String> regions = PHONES.getRegionCodesForCountryCode(countryCode);
        if (regions.size() != 1 || PhoneNumberUtil.REGION_CODE_FOR_NON_GEO_ENTITY.equals(regions.get(0))) {
            return Optional.empty();
        }
        PhoneMetadata md = DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource()
                .getMetadataForRegion(regions.get(0));
        if (md == null || md.getCountryCode() != countryCode) {
            return Optional.empty();
        }
        List<PhoneNumberDesc> types = new ArrayList<>(List.of(md.getPremiumRate(), md.getTollFree(), md.getSharedCost(),
                md.getVoip(), md.getPersonalNumber(), md.getPager(), md.getUan(), md.getVoicemail(), md.getFixedLine()));
        // libphonenumber skips the mobile pattern when the region says it is the fixed-line one.
        if (!md.getSameMobileAndFixedLinePattern()) {
            types.add(md.getMobile());
        }
        try {
            List<Automaton> any = new ArrayList<>();
            for (PhoneNumberDesc type : types) {
                any.add(desc(type));
            }
            Automaton valid = desc(md.getGeneralDesc()).intersection(Automaton.union(any));
            valid.minimize();
            return Optional.of(new RunAutomaton(valid));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The national numbers a description matches, as libphonenumber's {@code isNumberMatchingDesc}: one of
     * its possible lengths (any length when it lists none) and the whole of its pattern (none when it
     * has no pattern).
     */
    private static Automaton desc(PhoneNumberDesc d) {
        String pattern = d.getNationalNumberPattern();
        if (pattern.isEmpty()) {
            return BasicAutomata.makeEmpty();
        }
        Automaton a = new RegExp(translate(pattern), RegExp.NONE).toAutomaton();
        if (d.getPossibleLengthCount() == 0) {
            return a;
        }
        List<Automaton> lengths = new ArrayList<>();
        for (int length : d.getPossibleLengthList()) {
            if (length > 0) {
                lengths.add(BasicAutomata.makeCharRange('0', '9').repeat(length, length));
            }
        }
        return a.intersection(Automaton.union(lengths));
    }

    /**
     * A metadata pattern in the automaton library's syntax. The metadata uses digits, classes, counted
     * repetition, {@code ?}, alternation, {@code \d} and non-capturing groups, which mean the same in
     * both; anything else is refused, and the country code is left to libphonenumber.
     */
    static String translate(String pattern) {
        String t = pattern.replace("(?:", "(").replace("\\d", "[0-9]");
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= '0' && c <= '9') && "[]-(){},|?".indexOf(c) < 0) {
                throw new IllegalArgumentException("unsupported pattern character '" + c + "' in " + pattern);
            }
        }
        return t;
    }
}
