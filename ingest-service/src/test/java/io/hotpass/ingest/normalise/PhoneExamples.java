package io.hotpass.ingest.normalise;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.List;

/** libphonenumber's own example numbers, the material of the differential phone tests. */
final class PhoneExamples {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private PhoneExamples() {
    }

    /** Every supported region, in order. */
    static List<String> regions() {
        List<String> regions = new ArrayList<>(PHONES.getSupportedRegions());
        regions.sort(null);
        return regions;
    }

    /** The region's example number of every type it has, and its invalid example number. */
    static List<PhoneNumber> of(String region) {
        List<PhoneNumber> examples = new ArrayList<>();
        for (PhoneNumberType type : PhoneNumberType.values()) {
            PhoneNumber e = PHONES.getExampleNumberForType(region, type);
            if (e != null) {
                examples.add(e);
            }
        }
        PhoneNumber invalid = PHONES.getInvalidExampleNumber(region);
        if (invalid != null) {
            examples.add(invalid);
        }
        return examples;
    }
}
