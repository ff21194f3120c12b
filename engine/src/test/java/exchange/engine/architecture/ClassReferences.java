package exchange.engine.architecture;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one compiled class refers to, read straight from its constant pool (JVM spec 4.4): the
 * classes it names, the types in every descriptor, and every field and method it references
 * ({@code owner.name}, owner in internal form such as {@code java/lang/System}). Enough to
 * answer "does this class call {@code System.nanoTime} or touch {@code java.io.File}" without
 * loading it and without a bytecode library.
 */
public final class ClassReferences {
    private static final int CLASS = 7;
    private static final int FIELDREF = 9;
    private static final int METHODREF = 10;
    private static final int INTERFACE_METHODREF = 11;
    private static final int NAME_AND_TYPE = 12;

    private final String className;
    private final String superName;
    private final Set<String> types;
    private final Set<String> members;

    private ClassReferences(String className, String superName, Set<String> types, Set<String> members) {
        this.className = className;
        this.superName = superName;
        this.types = types;
        this.members = members;
    }

    /** Internal name of the class itself, e.g. {@code exchange/engine/Exchange}. */
    public String className() {
        return className;
    }

    /** The same references as if the class had another name (to test package-dependent rules). */
    public ClassReferences renamed(String internalName) {
        return new ClassReferences(internalName, superName, types, members);
    }

    /** Internal name of the superclass; null only for {@code java/lang/Object}. */
    public String superName() {
        return superName;
    }

    /** Internal names of every type the class refers to (class entries and descriptor types). */
    public Set<String> types() {
        return types;
    }

    /** {@code owner.name} of every field and method reference, e.g. {@code java/lang/System.nanoTime}. */
    public Set<String> members() {
        return members;
    }

    public static ClassReferences parse(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        int[] tag = new int[count];
        String[] utf8 = new String[count];
        int[] first = new int[count];
        int[] second = new int[count];
        boolean[] stringConstant = new boolean[count];
        for (int i = 1; i < count; i++) {
            tag[i] = in.readUnsignedByte();
            switch (tag[i]) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // eight-byte constants take two slots
                }
                case CLASS, 16, 19, 20 -> first[i] = in.readUnsignedShort();
                case 8 -> stringConstant[in.readUnsignedShort()] = true;
                case FIELDREF, METHODREF, INTERFACE_METHODREF, NAME_AND_TYPE, 17, 18 -> {
                    first[i] = in.readUnsignedShort();
                    second[i] = in.readUnsignedShort();
                }
                case 15 -> {
                    in.readUnsignedByte();
                    first[i] = in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag[i] + " at " + i);
            }
        }
        in.readUnsignedShort(); // access flags
        String self = utf8[first[in.readUnsignedShort()]];
        int superIndex = in.readUnsignedShort();
        String superName = superIndex == 0 ? null : utf8[first[superIndex]];

        Set<String> types = new TreeSet<>();
        Set<String> members = new TreeSet<>();
        for (int i = 1; i < count; i++) {
            switch (tag[i]) {
                case CLASS -> addType(types, utf8[first[i]]);
                case FIELDREF, METHODREF, INTERFACE_METHODREF -> {
                    String owner = utf8[first[first[i]]];
                    String name = utf8[first[second[i]]];
                    members.add(elementType(owner) + "." + name);
                }
                case 1 -> {
                    if (!stringConstant[i]) {
                        addDescriptorTypes(types, utf8[i]);
                    }
                }
                default -> {
                }
            }
        }
        return new ClassReferences(self, superName, types, members);
    }

    private static void addType(Set<String> types, String name) {
        if (name.startsWith("[")) {
            addDescriptorTypes(types, name);
        } else {
            types.add(name);
        }
    }

    /** The element class of an array class name ({@code [Ljava/io/File;} -> {@code java/io/File}). */
    private static String elementType(String owner) {
        if (!owner.startsWith("[")) {
            return owner;
        }
        int l = owner.indexOf('L');
        return l < 0 ? owner : owner.substring(l + 1, owner.length() - 1);
    }

    /**
     * Every {@code Lpkg/Name;} in a descriptor or signature. Applied to every non-string UTF-8
     * constant: names and other text simply contain no such pattern with a slash-separated name.
     */
    static void addDescriptorTypes(Set<String> types, String text) {
        int i = text.indexOf('L');
        while (i >= 0) {
            int j = i + 1;
            while (j < text.length() && (Character.isJavaIdentifierPart(text.charAt(j)) || text.charAt(j) == '/')) {
                j++;
            }
            String name = text.substring(i + 1, j);
            boolean terminated = j < text.length() && (text.charAt(j) == ';' || text.charAt(j) == '<');
            if (terminated && name.indexOf('/') > 0) {
                types.add(name);
            }
            i = text.indexOf('L', j > i + 1 ? j : i + 1);
        }
    }
}
