package ai.lipsync.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Pillow parity of {@link Resize#pil}: expected bytes were produced by Pillow 12.3
 * ({@code Image.fromarray(a).resize((w, h), filter)}) on the deterministic 23x17 pattern below.
 */
class ResizeTest {

    private static final String BICUBIC_DOWN = "6e8c8a6d8b79708a6c7f928188799691646b739d93977fb2948d679f7e8684986e8d8aa77f65766e7d5c8b8e927d6b75"
                + "85747e837886847e9786443ca0a294";
    private static final String BILINEAR_DOWN = "728a8873877b76846d7e9184877b948e6b6b7999919681ac938a6d9980828395708a8ba07e6977707d648a8d917c6d77"
                + "807579827e87827e92834c46969e93";
    private static final String BICUBIC_UP = "000b27435b86acc6f15d001746667f99b3ddbb071639536e86addafc4c0024071c3c5a778293b2de69133b435a7a95b1"
                + "ddbd0a1b3f5b7797a8b6db4f143c2a426c99c0794e7cb08c7795363a6e8cacdcbf11264d6d8dc5a15a85514f7d57759e"
                + "c5f77420587ea2cee73e275d81a6dbc31a336084a9e28f0c3e628baa8ab3b48dc182628f5a7fc4e3864b4878a1dac621"
                + "3e6e9bd0b360215d9e9d72b3e8bb3b7095c1de464d91bcde7e316f9cd8c927497cb1ed6a315c97da9c2193c9ac457f96"
                + "bce5674565a1f3831b6597d7cc2e5490b9c0483d8481bc922c37658994d5896bb7b95d3387d665035c91d6cf365fa7b7"
                + "564179a42f547b7e0c3b78abf28a4885d97c2f6bb56517538bd5d23d6abbbf1d4c979a082a70972e74885fa6a67549aa"
                + "a97140929b724983d4d54474d3e0326f814b246c794b63ad931e67bca32770c4b33175cac4407cd3d84b81dbea57986d"
                + "0952ab7f0a9b9a744896b2965c4da0c47771c1cb3676d2da5293baa56ac2891888946836cd6d4793ea9d79b13963bede"
                + "769fb02d70d1dd59a78a437de4b14cba5f4984b25e3e88e2a384b75655a2f967859e1e6ad0e060b67f2694cfab6fa650"
                + "417b4f6352328dc1b279a26d6ed7446e8f0762cfe367c19143af837a894f5d4e281a78730a69d1cb67cc8a61b4496c87"
                + "1f64cce66ecca660ca5a64a822786a0139aaab36adcabeb1b7aea19a99938d8c7accf775e3be75f17586d944ada32b6f"
                + "d3d678f1b3a1f88fc6e081e7b892f590bff27ce7c888fe99acf57ad6d26ea7c1c6b4e57e71ea62aed967eab48aff988a"
                + "a583a9a392bba7afc4aac4c7b2da959aeab03c3bb13481b14ec89c7af09944388a4d689853a8a270d596a2f3c68793de"
                + "732b387f427a8a30ad886ce2972308912956a732868659c18a9aec6395b089244a67488e9a5f0795775fd9912510983a"
                + "68bc533e58796ba0af972a95ba5d055f843bbfa2410a856451d08b2a1c9f4e7dd2781343a13ba4b76b4c6d959a494f6d"
                + "83b56d3663874336c686281fa65894f4902664d460769cab894c6cdb913d55cd94393fbf882e2ebd802721ad63a0ffa7"
                + "4f8af49b4e7fefbc706cb56e4b74c1634472c4724d6bb4792624b47484c7c47782c8c8767dc9eab4805f1869aa862a72"
                + "bd9b4e88ceaa712627bb895365dea46672efc48973daad7a541073a3532e94cf7a2f9bf8a16a242ac2994534beb87253"
                + "e0bf8569804c589f646854207bb0a5610c7fe89865232dc9a45e3657b6ad6b905b6fb7460f40c993622c11b3b576480d"
                + "73ce8e602230d1ae7945109fce905e1b5fe36033428854727951a98b4422579eb9855a2133d7b988581e5daac889465c"
                + "a39676543b0884d29b865c270daecea37b551f36dec4966f481e75f0bd8c6756c7ad804f2483bf8c56616244c8cc9372"
                + "501e3beed1a58462225bc091a8986bf7dfbc9879786e4c1c85d5abbeac86694b1d40ffdfb39779524e5730b0e1b5edd8"
                + "bca18779674c239fffd5af92795f461e39d6dfc9ad9078563010a4e6c095846c55378cc1a084b4d8ba99816c56402423"
                + "5fd3f2cda99277583f7b8f76564834220299ffdbcbb8a59381705f4d3b291301b4f3cfc0ae9c8a78665244746a5c4f39"
                + "94d0b9ad968175685b4f4235291600678985d7d3c1b5a8907b72a8a0968d838b8d827a6f665d534a423930271e121d16"
                + "33e8f1dfd6cdc3b9b1bab3aca49f87746e676059524a433c352e272018000012f0feece5ded7cfc9";
    private static final String BICUBIC_VERTICAL_ONLY = "44717aa766999c62954c578ab7e3103d6aa4a76599586161ad6eb57b99876c84c23a5da4ec337acd73636b489c5c7b70"
                + "4db9a4777793a95fc72491fc58c3787fb4547267457bb879bb81ba7eb882b580b47ec07cbe71bd7dba7bb8797f8caf43"
                + "5481836a4aa232d86a00a034d87449a28794b79b508f457c64708c7c37baa1570ec67a628e9390b560a0a87b76499d69"
                + "6b9764a7a5714416ddc49056589564949095826a57b29f869d8a705744311f288b78d3baa08da48b";
    private static final String RGB_BILINEAR = "398bc6797c869794686f7b90515cae913d6e9721683c45c38bbf7495c26a50a6af9d8d62966b6984917b92ab6d879878"
                + "7957869e436163bd9c9c996363679c84887b71968e996366968069726a8d899a7663739ca5605a81b07e74618b698a96"
                + "6c8f937c5e8383717c7c5d838d81728e6371798c86ad5953998766876f78618a9e667b996996968e67719778688b7b74"
                + "8b7874648e9bb4514b8a87758c9b737d9f825998a68e7b719e6761b4774baa6b559f6160978568bb4a44b08b4fa67b59"
                + "9c82638a9275a5a55a8d8d726969967c7c838b8b74a4a45b5757a872728d81817e94946bafaf507b8e84679e9877b488"
                + "6baa94619f9e85977a4abbb58bb0747ba684829c7d928a6d966969678e987897877b8b84788b878e647151b4ae878a78"
                + "9b8c649f7d619859675e7ca171838e5d7ca2818d7e638e9c8c797359ada68799786f87908a61757b668496716963999c"
                + "80967f6a72959a896573638c60a59fb0814f61749e8a69758f6c708d9d726b969491846eab92549887675779a8439ebc"
                + "bd6342999c666763988884778b39747c798394976b7b6f845c51a33d91c22197de453cbabf8b40c2953da65059";

    private static GrayImage pattern() {
        byte[] d = new byte[23 * 17];
        for (int y = 0; y < 17; y++) {
            for (int x = 0; x < 23; x++) {
                d[y * 23 + x] = (byte) ((x * 37 + y * 91 + x * y * 13) % 256);
            }
        }
        return new GrayImage(23, 17, d);
    }

    @Test
    void pilBicubic_downscale_matchesPillowWithAntialias() {
        assertThat(Resize.pil(pattern(), 9, 7, Resize.PilFilter.BICUBIC).data()).isEqualTo(hex(BICUBIC_DOWN));
    }

    @Test
    void pilBilinear_downscale_matchesPillowWithAntialias() {
        assertThat(Resize.pil(pattern(), 9, 7, Resize.PilFilter.BILINEAR).data()).isEqualTo(hex(BILINEAR_DOWN));
    }

    @Test
    void pilBicubic_upscale_matchesPillow() {
        assertThat(Resize.pil(pattern(), 31, 40, Resize.PilFilter.BICUBIC).data()).isEqualTo(hex(BICUBIC_UP));
    }

    @Test
    void pilBicubic_heightOnly_skipsTheHorizontalPassLikePillow() {
        assertThat(Resize.pil(pattern(), 23, 8, Resize.PilFilter.BICUBIC).data()).isEqualTo(hex(BICUBIC_VERTICAL_ONLY));
    }

    @Test
    void pilBilinear_threeChannels_resamplesEachChannelLikePillow() {
        GrayImage g = pattern();
        byte[] rgb = new byte[23 * 17 * 3];
        for (int y = 0; y < 17; y++) {
            for (int x = 0; x < 23; x++) {
                int i = (y * 23 + x) * 3;
                rgb[i] = g.data()[y * 23 + x];
                rgb[i + 1] = g.data()[(16 - y) * 23 + x];
                rgb[i + 2] = (byte) (255 - (g.data()[y * 23 + x] & 0xFF));
            }
        }
        BgrImage out = Resize.pil(new BgrImage(23, 17, rgb), 11, 13, Resize.PilFilter.BILINEAR);
        assertThat(out.data()).isEqualTo(hex(RGB_BILINEAR));
    }

    @Test
    void pil_sameSize_returnsACopy() {
        GrayImage g = pattern();
        GrayImage out = Resize.pil(g, 23, 17, Resize.PilFilter.BICUBIC);
        assertThat(out.data()).isEqualTo(g.data()).isNotSameAs(g.data());
    }

    @Test
    void pil_toEmptySize_isRejected() {
        assertThatThrownBy(() -> Resize.pil(pattern(), 0, 3, Resize.PilFilter.BICUBIC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x3");
    }

    @Test
    void bilinear_constantImage_staysConstant() {
        byte[] d = new byte[16 * 16 * 3];
        java.util.Arrays.fill(d, (byte) 77);
        BgrImage out = Resize.bilinear(new BgrImage(16, 16, d), 5, 9);
        assertThat(out.width()).isEqualTo(5);
        assertThat(out.height()).isEqualTo(9);
        for (byte b : out.data()) {
            assertThat(b & 0xFF).isEqualTo(77);
        }
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }
}
