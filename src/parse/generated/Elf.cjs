// This is a generated file! Please edit source .ksy file and use kaitai-struct-compiler to rebuild

(function (root, factory) {
  if (typeof define === 'function' && define.amd) {
    define(['exports', 'kaitai-struct/KaitaiStream'], factory);
  } else if (typeof exports === 'object' && exports !== null && typeof exports.nodeType !== 'number') {
    factory(exports, require('kaitai-struct/KaitaiStream'));
  } else {
    factory(root.Elf || (root.Elf = {}), root.KaitaiStream);
  }
})(typeof self !== 'undefined' ? self : this, function (Elf_, KaitaiStream) {
/**
 * elf-lint's own schema for ELF files of both classes and both byte orders.
 * It is written for linting, so it is deliberately forgiving: only the magic
 * is validated, every table is a lazy instance guarded by bounds checks
 * against the real file size, and every address-sized field is a `word`: one
 * or two 32-bit halves, so that the TypeScript side can rebuild it exactly as
 * a BigInt (Kaitai's JavaScript u8 is a lossy double).
 * 
 * The caller passes the real file size as `file_size`. The caller may pad a
 * short file with zeros up to 64 bytes, as the Linux loader does with its
 * zeroed buffer; bounds checks always use `file_size`.
 * 
 * Positions are whole file offsets: a `word`'s `value` is the offset or size
 * as a number, exact below 2^53 (past any real file), so tables and contents
 * past 4 GiB are read where they are. The stream may be the file read by
 * ranges (elf-lint's facade gives a stream with no buffer of its own): every
 * region read at a position is sized, so only it is read, into a substream.
 * 
 * By default the file is read as it declares itself: EI_CLASS 1 is ELF32 and
 * anything else ELF64; EI_DATA 2 is big-endian and anything else
 * little-endian. `read_class` and `read_order` override that: a kernel reads
 * every file with its own structures and byte order, whatever e_ident says.
 * 
 * The tables are read in windows (`table_first`, `table_window`): a caller
 * reads a table of any size a window at a time, each with a fresh root, so
 * that the objects of one window only are alive at once.
 * 
 * Section and segment contents are read through a region (`region_pos`,
 * `region_size`, `region_unit`) the caller sets on a fresh root: a table of
 * fixed-size entries (symbols, relocations, dynamic entries, u2/u4/word
 * arrays) is read in the same windows, entry `table_first` on, and one
 * structure of a linked or variable-length list (a note header, a version
 * definition or need and their auxiliary entries, a compression header) is
 * read at `region_pos`. The caller takes every position and size from the
 * class layout (elf-lint's model/layout.ts), so this schema says only the
 * order and width of the fields, and the locator of findings and the parser
 * cannot disagree on where an entry lies.
 */

var Elf = (function() {
  function Elf(_io, _parent, _root, fileSize, readClass, readOrder, tableFirst, tableWindow, regionPos, regionSize, regionUnit) {
    this._io = _io;
    this._parent = _parent;
    this._root = _root || this;
    this.fileSize = fileSize;
    this.readClass = readClass;
    this.readOrder = readOrder;
    this.tableFirst = tableFirst;
    this.tableWindow = tableWindow;
    this.regionPos = regionPos;
    this.regionSize = regionSize;
    this.regionUnit = regionUnit;

    this._read();
  }
  Elf.prototype._read = function() {
    this.ident = new Identification(this._io, this, this._root);
    this.header = new FileHeader(this._io, this, this._root);
  }

  var FileHeader = Elf.FileHeader = (function() {
    function FileHeader(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    FileHeader.prototype._read = function() {
      switch (this._root.bigEndian) {
      case true:
        this._is_le = false;
        break;
      case false:
        this._is_le = true;
        break;
      }

      if (this._is_le === true) {
        this._readLE();
      } else if (this._is_le === false) {
        this._readBE();
      } else {
        throw new KaitaiStream.UndecidedEndiannessError();
      }
    }
    FileHeader.prototype._readLE = function() {
      this.eType = this._io.readU2le();
      this.eMachine = this._io.readU2le();
      this.eVersion = this._io.readU4le();
      this.eEntry = new Word(this._io, this, this._root, this._is_le);
      this.ePhoff = new Word(this._io, this, this._root, this._is_le);
      this.eShoff = new Word(this._io, this, this._root, this._is_le);
      this.eFlags = this._io.readU4le();
      this.eEhsize = this._io.readU2le();
      this.ePhentsize = this._io.readU2le();
      this.ePhnum = this._io.readU2le();
      this.eShentsize = this._io.readU2le();
      this.eShnum = this._io.readU2le();
      this.eShstrndx = this._io.readU2le();
    }
    FileHeader.prototype._readBE = function() {
      this.eType = this._io.readU2be();
      this.eMachine = this._io.readU2be();
      this.eVersion = this._io.readU4be();
      this.eEntry = new Word(this._io, this, this._root, this._is_le);
      this.ePhoff = new Word(this._io, this, this._root, this._is_le);
      this.eShoff = new Word(this._io, this, this._root, this._is_le);
      this.eFlags = this._io.readU4be();
      this.eEhsize = this._io.readU2be();
      this.ePhentsize = this._io.readU2be();
      this.ePhnum = this._io.readU2be();
      this.eShentsize = this._io.readU2be();
      this.eShnum = this._io.readU2be();
      this.eShstrndx = this._io.readU2be();
    }

    /**
     * Elf32_Chdr (12 bytes) or Elf64_Chdr (24 bytes, a reserved word after ch_type).
     */

    var CompressionHeader = FileHeader.CompressionHeader = (function() {
      function CompressionHeader(_io, _parent, _root, _is_le) {
        this._io = _io;
        this._parent = _parent;
        this._root = _root;
        this._is_le = _is_le;

        this._read();
      }
      CompressionHeader.prototype._read = function() {

        if (this._is_le === true) {
          this._readLE();
        } else if (this._is_le === false) {
          this._readBE();
        } else {
          throw new KaitaiStream.UndecidedEndiannessError();
        }
      }
      CompressionHeader.prototype._readLE = function() {
        this.chType = this._io.readU4le();
        if (this._root.is64) {
          this.chReserved = this._io.readU4le();
        }
        this.chSize = new Word(this._io, this, this._root, this._is_le);
        this.chAddralign = new Word(this._io, this, this._root, this._is_le);
      }
      CompressionHeader.prototype._readBE = function() {
        this.chType = this._io.readU4be();
        if (this._root.is64) {
          this.chReserved = this._io.readU4be();
        }
        this.chSize = new Word(this._io, this, this._root, this._is_le);
        this.chAddralign = new Word(this._io, this, this._root, this._is_le);
      }

      return CompressionHeader;
    })();

    var DynamicEntry = FileHeader.DynamicEntry = (function() {
      function DynamicEntry(_io, _parent, _root, _is_le) {
        this._io = _io;
        this._parent = _parent;
        this._root = _root;
        this._is_le = _is_le;

        this._read();
      }
      DynamicEntry.prototype._read = function() {

        if (this._is_le === true) {
          this._readLE();
        } else if (this._is_le === false) {
          this._readBE();
        } else {
          throw new KaitaiStream.UndecidedEndiannessError();
        }
      }
      DynamicEntry.prototype._readLE = function() {
        this.dTag = new Word(this._io, this, this._root, this._is_le);
        this.dVal = new Word(this._io, this, this._root, this._is_le);
      }
      DynamicEntry.prototype._readBE = function() {
        this.dTag = new Word(this._io, this, this._root, this._is_le);
        this.dVal = new Word(this._io, this, this._root, this._is_le);
      }

      return DynamicEntry;
    })();

    var DynamicTable = FileHeader.DynamicTable = (function() {
      function DynamicTable(_io, _parent, _root, _is_le) {
        this._io = _io;
        this._parent = _parent;
        this._root = _root;
        this._is_le = _is_le;

        this._read();
      }
      DynamicTable.prototype._read = function() {

        if (this._is_le === true) {
          this._readLE();
        } else if (this._is_le === false) {
          this._readBE();
        } else {
          throw new KaitaiStream.UndecidedEndiannessError();
        }
      }
      DynamicTable.prototype._readLE = function() {
        this.entries = [];
        var i = 0;
        do {
          var _ = new DynamicEntry(this._io, this, this._root, this._is_le);
          this.entries.push(_);
          i++;
        } while (!( (( ((_.dTag.lo == 0) && (_.dTag.hi == 0)) ) || (this._io.isEof())) ));
      }
      DynamicTable.prototype._readBE = function() {
        this.entries = [];
        var i = 0;
        do {
          var _ = new DynamicEntry(this._io, this, this._root, this._is_le);
          this.entries.push(_);
          i++;
        } while (!( (( ((_.dTag.lo == 0) && (_.dTag.hi == 0)) ) || (this._io.isEof())) ));
      }

      return DynamicTable;
    })();

    var NoteHeader = FileHeader.NoteHeader = (function() {
      function NoteHeader(_io, _parent, _root, _is_le) {
        this._io = _io;
        this._parent = _parent;
        this._root = _root;
        this._is_le = _is_le;

        this._read();
      }
      NoteHeader.prototype._read = function() {

        if (this._is_le === true) {
          this._readLE();
        } else if (this._is_le === false) {
          this._readBE();
        } else {
          throw new KaitaiStream.UndecidedEndiannessError();
        }
      }
      NoteHeader.prototype._readLE = function() {
        this.nNamesz = this._io.readU4le();
        this.nDescsz = this._io.readU4le();
        this.nType = this._io.readU4le();
      }
      NoteHeader.prototype._readBE = function() {
        this.nNamesz = this._io.readU4be();
        this.nDescsz = this._io.readU4be();
        this.nType = this._io.readU4be();
      }

      return NoteHeader;
    })();

    /**
     * Elf32_Phdr or Elf64_Phdr; p_flags sits after p_type in ELF64 and after p_memsz in ELF32.
     */

    var ProgramHeader = FileHeader.ProgramHeader = (function() {
      function ProgramHeader(_io, _parent, _root, _is_le) {
        this._io = _io;
        this._parent = _parent;
        this._root = _root;
        this._is_le = _is_le;

        this._read();
      }
      ProgramHeader.prototype._read = function() {

        if (this._is_le === true) {
          this._readLE();
        } else if (this._is_le === false) {
          this._readBE();
        } else {
          throw new KaitaiStream.UndecidedEndiannessError();
        }
      }
      ProgramHeader.prototype._readLE = function() {
        this.pType = this._io.readU4le();
        if (this._root.is64) {
          this.pFlags64 = this._io.readU4le();
        }
        this.pOffset = new Word(this._io, this, this._root, this._is_le);
        this.pVaddr = new Word(this._io, this, this._root, this._is_le);
        this.pPaddr = new Word(this._io, this, this._root, this._is_le);
        this.pFilesz = new Word(this._io, this, this._root, this._is_le);
        this.pMemsz = new Word(this._io, this, this._root, this._is_le);
        if (!(this._root.is64)) {
          this.pFlags32 = this._io.readU4le();
        }
        this.pAlign = new Word(this._io, this, this._root, this._is_le);
      }
      ProgramHeader.prototype._readBE = function() {
        this.pType = this._io.readU4be();
        if (this._root.is64) {
          this.pFlags64 = this._io.readU4be();
        }
        this.pOffset = new Word(this._io, this, this._root, this._is_le);
        this.pVaddr = new Word(this._io, this, this._root, this._is_le);
        this.pPaddr = new Word(this._io, this, this._root, this._is_le);
        this.pFilesz = new Word(this._io, this, this._root, this._is_le);
        this.pMemsz = new Word(this._io, this, this._root, this._is_le);
        if (!(this._root.is64)) {
          this.pFlags32 = this._io.readU4be();
        }
        this.pAlign = new Word(this._io, this, this._root, this._is_le);
      }
      Object.defineProperty(ProgramHeader.prototype, 'contentsInFile', {
        get: function() {
          if (this._m_contentsInFile !== undefined)
            return this._m_contentsInFile;
          this._m_contentsInFile =  ((this.pOffset.value <= this._root.fileSize) && (this.pFilesz.value <= this._root.fileSize - this.pOffset.value)) ;
          return this._m_contentsInFile;
        }
      });

      /**
       * The entries of a PT_DYNAMIC segment that lie inside the file.
       */
      Object.defineProperty(ProgramHeader.prototype, 'dynamic', {
        get: function() {
          if (this._m_dynamic !== undefined)
            return this._m_dynamic;
          if ( ((this.pType == 2) && (this.contentsInFile)) ) {
            var io = this._root._io;
            var _pos = io.pos;
            io.seek(this.pOffset.value);
            if (this._is_le) {
              this._raw__m_dynamic = io.readBytes(Math.floor(this.pFilesz.value / this._root.dynSize) * this._root.dynSize);
              var _io__raw__m_dynamic = new KaitaiStream(this._raw__m_dynamic);
              this._m_dynamic = new DynamicTable(_io__raw__m_dynamic, this, this._root, this._is_le);
            } else {
              this._raw__m_dynamic = io.readBytes(Math.floor(this.pFilesz.value / this._root.dynSize) * this._root.dynSize);
              var _io__raw__m_dynamic = new KaitaiStream(this._raw__m_dynamic);
              this._m_dynamic = new DynamicTable(_io__raw__m_dynamic, this, this._root, this._is_le);
            }
            io.seek(_pos);
          }
          return this._m_dynamic;
        }
      });

      /**
       * The bytes of a PT_INTERP segment, when they lie inside the file and fit the kernel's 4 KiB limit.
       */
      Object.defineProperty(ProgramHeader.prototype, 'interpreter', {
        get: function() {
          if (this._m_interpreter !== undefined)
            return this._m_interpreter;
          if ( ((this.pType == 3) && (this.pFilesz.value <= 4096) && (this.contentsInFile)) ) {
            var io = this._root._io;
            var _pos = io.pos;
            io.seek(this.pOffset.value);
            if (this._is_le) {
              this._m_interpreter = io.readBytes(this.pFilesz.value);
            } else {
              this._m_interpreter = io.readBytes(this.pFilesz.value);
            }
            io.seek(_pos);
          }
          return this._m_interpreter;
        }
      });
      Object.defineProperty(ProgramHeader.prototype, 'pFlags', {
        get: function() {
          if (this._m_pFlags !== undefined)
            return this._m_pFlags;
          this._m_pFlags = (this._root.is64 ? this.pFlags64 : this.pFlags32);
          return this._m_pFlags;
        }
      });

      return ProgramHeader;
    })();

    var Rel = FileHeader.Rel = (function() {
      function Rel(_io, _parent, _root, _is_le) {
        this._io = _io;
        this._parent = _parent;
        this._root = _root;
        this._is_le = _is_le;

        this._read();
      }
      Rel.prototype._read = function() {

        if (this._is_le === true) {
          this._readLE();
        } else if (this._is_le === false) {
          this._readBE();
        } else {
          throw new KaitaiStream.UndecidedEndiannessError();
        }
      }
      Rel.prototype._readLE = function() {
        this.rOffset = new Word(this._io, this, this._root, this._is_le);
        this.rInfo = new Word(this._io, this, this._root, this._is_le);
      }
      Rel.prototype._readBE = function() {
        this.rOffset = new Word(this._io, this, this._root, this._is_le);
        this.rInfo = new Word(this._io, this, this._root, this._is_le);
      }

      return Rel;
    })();

    var Rela = FileHeader.Rela = (function() {
      function Rela(_io, _parent, _root, _is_le) {
        this._io = _io;
        this._parent = _parent;
        this._root = _root;
        this._is_le = _is_le;

        this._read();
      }
      Rela.prototype._read = function() {

        if (this._is_le === true) {
          this._readLE();
        } else if (this._is_le === false) {
          this._readBE();
        } else {
          throw new KaitaiStream.UndecidedEndiannessError();
        }
      }
      Rela.prototype._readLE = function() {
        this.rOffset = new Word(this._io, this, this._root, this._is_le);
        this.rInfo = new Word(this._io, this, this._root, this._is_le);
        this.rAddend = new Word(this._io, this, this._root, this._is_le);
      }
      Rela.prototype._readBE = function() {
        this.rOffset = new Word(this._io, this, this._root, this._is_le);
        this.rInfo = new Word(this._io, this, this._root, this._is_le);
        this.rAddend = new Word(this._io, this, this._root, this._is_le);
      }

      return Rela;
    })();

    var SectionHeader = FileHeader.SectionHeader = (function() {
      function SectionHeader(_io, _parent, _root, _is_le) {
        this._io = _io;
        this._parent = _parent;
        this._root = _root;
        this._is_le = _is_le;

        this._read();
      }
      SectionHeader.prototype._read = function() {

        if (this._is_le === true) {
          this._readLE();
        } else if (this._is_le === false) {
          this._readBE();
        } else {
          throw new KaitaiStream.UndecidedEndiannessError();
        }
      }
      SectionHeader.prototype._readLE = function() {
        this.shName = this._io.readU4le();
        this.shType = this._io.readU4le();
        this.shFlags = new Word(this._io, this, this._root, this._is_le);
        this.shAddr = new Word(this._io, this, this._root, this._is_le);
        this.shOffset = new Word(this._io, this, this._root, this._is_le);
        this.shSize = new Word(this._io, this, this._root, this._is_le);
        this.shLink = this._io.readU4le();
        this.shInfo = this._io.readU4le();
        this.shAddralign = new Word(this._io, this, this._root, this._is_le);
        this.shEntsize = new Word(this._io, this, this._root, this._is_le);
      }
      SectionHeader.prototype._readBE = function() {
        this.shName = this._io.readU4be();
        this.shType = this._io.readU4be();
        this.shFlags = new Word(this._io, this, this._root, this._is_le);
        this.shAddr = new Word(this._io, this, this._root, this._is_le);
        this.shOffset = new Word(this._io, this, this._root, this._is_le);
        this.shSize = new Word(this._io, this, this._root, this._is_le);
        this.shLink = this._io.readU4be();
        this.shInfo = this._io.readU4be();
        this.shAddralign = new Word(this._io, this, this._root, this._is_le);
        this.shEntsize = new Word(this._io, this, this._root, this._is_le);
      }

      /**
       * The section's name from .shstrtab; absent when sh_name points outside it.
       */
      Object.defineProperty(SectionHeader.prototype, 'name', {
        get: function() {
          if (this._m_name !== undefined)
            return this._m_name;
          if ( ((this._root.header.sectionNamesReadable) && (this.shName < this._root.header.sectionNames._io.size)) ) {
            var io = this._root.header.sectionNames._io;
            var _pos = io.pos;
            io.seek(this.shName);
            if (this._is_le) {
              this._m_name = KaitaiStream.bytesToStr(io.readBytesTerm(0, false, true, false), "UTF-8");
            } else {
              this._m_name = KaitaiStream.bytesToStr(io.readBytesTerm(0, false, true, false), "UTF-8");
            }
            io.seek(_pos);
          }
          return this._m_name;
        }
      });

      return SectionHeader;
    })();

    var StringTable = FileHeader.StringTable = (function() {
      function StringTable(_io, _parent, _root, _is_le) {
        this._io = _io;
        this._parent = _parent;
        this._root = _root;
        this._is_le = _is_le;

        this._read();
      }
      StringTable.prototype._read = function() {

        if (this._is_le === true) {
          this._readLE();
        } else if (this._is_le === false) {
          this._readBE();
        } else {
          throw new KaitaiStream.UndecidedEndiannessError();
        }
      }
      StringTable.prototype._readLE = function() {
        this.data = this._io.readBytesFull();
      }
      StringTable.prototype._readBE = function() {
        this.data = this._io.readBytesFull();
      }

      return StringTable;
    })();

    /**
     * Elf32_Sym or Elf64_Sym; ELF64 moves st_info, st_other and st_shndx before the 8-byte fields.
     */

    var Symbol = FileHeader.Symbol = (function() {
      function Symbol(_io, _parent, _root, _is_le) {
        this._io = _io;
        this._parent = _parent;
        this._root = _root;
        this._is_le = _is_le;

        this._read();
      }
      Symbol.prototype._read = function() {

        if (this._is_le === true) {
          this._readLE();
        } else if (this._is_le === false) {
          this._readBE();
        } else {
          throw new KaitaiStream.UndecidedEndiannessError();
        }
      }
      Symbol.prototype._readLE = function() {
        this.stName = this._io.readU4le();
        if (this._root.is64) {
          this.stInfo64 = this._io.readU1();
        }
        if (this._root.is64) {
          this.stOther64 = this._io.readU1();
        }
        if (this._root.is64) {
          this.stShndx64 = this._io.readU2le();
        }
        this.stValue = new Word(this._io, this, this._root, this._is_le);
        this.stSize = new Word(this._io, this, this._root, this._is_le);
        if (!(this._root.is64)) {
          this.stInfo32 = this._io.readU1();
        }
        if (!(this._root.is64)) {
          this.stOther32 = this._io.readU1();
        }
        if (!(this._root.is64)) {
          this.stShndx32 = this._io.readU2le();
        }
      }
      Symbol.prototype._readBE = function() {
        this.stName = this._io.readU4be();
        if (this._root.is64) {
          this.stInfo64 = this._io.readU1();
        }
        if (this._root.is64) {
          this.stOther64 = this._io.readU1();
        }
        if (this._root.is64) {
          this.stShndx64 = this._io.readU2be();
        }
        this.stValue = new Word(this._io, this, this._root, this._is_le);
        this.stSize = new Word(this._io, this, this._root, this._is_le);
        if (!(this._root.is64)) {
          this.stInfo32 = this._io.readU1();
        }
        if (!(this._root.is64)) {
          this.stOther32 = this._io.readU1();
        }
        if (!(this._root.is64)) {
          this.stShndx32 = this._io.readU2be();
        }
      }
      Object.defineProperty(Symbol.prototype, 'stInfo', {
        get: function() {
          if (this._m_stInfo !== undefined)
            return this._m_stInfo;
          this._m_stInfo = (this._root.is64 ? this.stInfo64 : this.stInfo32);
          return this._m_stInfo;
        }
      });
      Object.defineProperty(Symbol.prototype, 'stOther', {
        get: function() {
          if (this._m_stOther !== undefined)
            return this._m_stOther;
          this._m_stOther = (this._root.is64 ? this.stOther64 : this.stOther32);
          return this._m_stOther;
        }
      });
      Object.defineProperty(Symbol.prototype, 'stShndx', {
        get: function() {
          if (this._m_stShndx !== undefined)
            return this._m_stShndx;
          this._m_stShndx = (this._root.is64 ? this.stShndx64 : this.stShndx32);
          return this._m_stShndx;
        }
      });

      return Symbol;
    })();

    var Verdaux = FileHeader.Verdaux = (function() {
      function Verdaux(_io, _parent, _root, _is_le) {
        this._io = _io;
        this._parent = _parent;
        this._root = _root;
        this._is_le = _is_le;

        this._read();
      }
      Verdaux.prototype._read = function() {

        if (this._is_le === true) {
          this._readLE();
        } else if (this._is_le === false) {
          this._readBE();
        } else {
          throw new KaitaiStream.UndecidedEndiannessError();
        }
      }
      Verdaux.prototype._readLE = function() {
        this.vdaName = this._io.readU4le();
        this.vdaNext = this._io.readU4le();
      }
      Verdaux.prototype._readBE = function() {
        this.vdaName = this._io.readU4be();
        this.vdaNext = this._io.readU4be();
      }

      return Verdaux;
    })();

    var Verdef = FileHeader.Verdef = (function() {
      function Verdef(_io, _parent, _root, _is_le) {
        this._io = _io;
        this._parent = _parent;
        this._root = _root;
        this._is_le = _is_le;

        this._read();
      }
      Verdef.prototype._read = function() {

        if (this._is_le === true) {
          this._readLE();
        } else if (this._is_le === false) {
          this._readBE();
        } else {
          throw new KaitaiStream.UndecidedEndiannessError();
        }
      }
      Verdef.prototype._readLE = function() {
        this.vdVersion = this._io.readU2le();
        this.vdFlags = this._io.readU2le();
        this.vdNdx = this._io.readU2le();
        this.vdCnt = this._io.readU2le();
        this.vdHash = this._io.readU4le();
        this.vdAux = this._io.readU4le();
        this.vdNext = this._io.readU4le();
      }
      Verdef.prototype._readBE = function() {
        this.vdVersion = this._io.readU2be();
        this.vdFlags = this._io.readU2be();
        this.vdNdx = this._io.readU2be();
        this.vdCnt = this._io.readU2be();
        this.vdHash = this._io.readU4be();
        this.vdAux = this._io.readU4be();
        this.vdNext = this._io.readU4be();
      }

      return Verdef;
    })();

    var Vernaux = FileHeader.Vernaux = (function() {
      function Vernaux(_io, _parent, _root, _is_le) {
        this._io = _io;
        this._parent = _parent;
        this._root = _root;
        this._is_le = _is_le;

        this._read();
      }
      Vernaux.prototype._read = function() {

        if (this._is_le === true) {
          this._readLE();
        } else if (this._is_le === false) {
          this._readBE();
        } else {
          throw new KaitaiStream.UndecidedEndiannessError();
        }
      }
      Vernaux.prototype._readLE = function() {
        this.vnaHash = this._io.readU4le();
        this.vnaFlags = this._io.readU2le();
        this.vnaOther = this._io.readU2le();
        this.vnaName = this._io.readU4le();
        this.vnaNext = this._io.readU4le();
      }
      Vernaux.prototype._readBE = function() {
        this.vnaHash = this._io.readU4be();
        this.vnaFlags = this._io.readU2be();
        this.vnaOther = this._io.readU2be();
        this.vnaName = this._io.readU4be();
        this.vnaNext = this._io.readU4be();
      }

      return Vernaux;
    })();

    var Verneed = FileHeader.Verneed = (function() {
      function Verneed(_io, _parent, _root, _is_le) {
        this._io = _io;
        this._parent = _parent;
        this._root = _root;
        this._is_le = _is_le;

        this._read();
      }
      Verneed.prototype._read = function() {

        if (this._is_le === true) {
          this._readLE();
        } else if (this._is_le === false) {
          this._readBE();
        } else {
          throw new KaitaiStream.UndecidedEndiannessError();
        }
      }
      Verneed.prototype._readLE = function() {
        this.vnVersion = this._io.readU2le();
        this.vnCnt = this._io.readU2le();
        this.vnFile = this._io.readU4le();
        this.vnAux = this._io.readU4le();
        this.vnNext = this._io.readU4le();
      }
      Verneed.prototype._readBE = function() {
        this.vnVersion = this._io.readU2be();
        this.vnCnt = this._io.readU2be();
        this.vnFile = this._io.readU4be();
        this.vnAux = this._io.readU4be();
        this.vnNext = this._io.readU4be();
      }

      return Verneed;
    })();

    /**
     * An address, offset or size: 4 bytes in ELF32, 8 in ELF64, kept as
     * two exact 32-bit halves in the file's byte order.
     */

    var Word = FileHeader.Word = (function() {
      function Word(_io, _parent, _root, _is_le) {
        this._io = _io;
        this._parent = _parent;
        this._root = _root;
        this._is_le = _is_le;

        this._read();
      }
      Word.prototype._read = function() {

        if (this._is_le === true) {
          this._readLE();
        } else if (this._is_le === false) {
          this._readBE();
        } else {
          throw new KaitaiStream.UndecidedEndiannessError();
        }
      }
      Word.prototype._readLE = function() {
        this.first = this._io.readU4le();
        if (this._root.is64) {
          this.second = this._io.readU4le();
        }
      }
      Word.prototype._readBE = function() {
        this.first = this._io.readU4be();
        if (this._root.is64) {
          this.second = this._io.readU4be();
        }
      }
      Object.defineProperty(Word.prototype, 'hi', {
        get: function() {
          if (this._m_hi !== undefined)
            return this._m_hi;
          this._m_hi = (this._root.is64 ? (this._root.bigEndian ? this.first : this.second) : 0);
          return this._m_hi;
        }
      });
      Object.defineProperty(Word.prototype, 'lo', {
        get: function() {
          if (this._m_lo !== undefined)
            return this._m_lo;
          this._m_lo = ( ((this._root.is64) && (this._root.bigEndian))  ? this.second : this.first);
          return this._m_lo;
        }
      });

      /**
       * The whole value as a number, for positions and bounds: exact below
       * 2^53, and never below 2^53 when the word is not, so it compares
       * with file_size exactly. Exact values are rebuilt from lo and hi.
       */
      Object.defineProperty(Word.prototype, 'value', {
        get: function() {
          if (this._m_value !== undefined)
            return this._m_value;
          this._m_value = this.hi * 4294967296 + this.lo;
          return this._m_value;
        }
      });

      return Word;
    })();

    /**
     * The Elf32_Chdr or Elf64_Chdr at region_pos (SHF_COMPRESSED).
     */
    Object.defineProperty(FileHeader.prototype, 'compressionHeader', {
      get: function() {
        if (this._m_compressionHeader !== undefined)
          return this._m_compressionHeader;
        var io = this._root._io;
        var _pos = io.pos;
        io.seek(this._root.regionPos);
        if (this._is_le) {
          this._raw__m_compressionHeader = io.readBytes(this._root.regionUnit);
          var _io__raw__m_compressionHeader = new KaitaiStream(this._raw__m_compressionHeader);
          this._m_compressionHeader = new CompressionHeader(_io__raw__m_compressionHeader, this, this._root, this._is_le);
        } else {
          this._raw__m_compressionHeader = io.readBytes(this._root.regionUnit);
          var _io__raw__m_compressionHeader = new KaitaiStream(this._raw__m_compressionHeader);
          this._m_compressionHeader = new CompressionHeader(_io__raw__m_compressionHeader, this, this._root, this._is_le);
        }
        io.seek(_pos);
        return this._m_compressionHeader;
      }
    });

    /**
     * Elf32_Dyn or Elf64_Dyn entries of an SHT_DYNAMIC section.
     */
    Object.defineProperty(FileHeader.prototype, 'dynamicEntries', {
      get: function() {
        if (this._m_dynamicEntries !== undefined)
          return this._m_dynamicEntries;
        if (this.regionEntriesInWindow > 0) {
          var io = this._root._io;
          var _pos = io.pos;
          io.seek(this.regionWindowPos);
          if (this._is_le) {
            this._raw__m_dynamicEntries = [];
            this._m_dynamicEntries = [];
            for (var i = 0; i < this.regionEntriesInWindow; i++) {
              this._raw__m_dynamicEntries.push(io.readBytes(this._root.regionUnit));
              var _io__raw__m_dynamicEntries = new KaitaiStream(this._raw__m_dynamicEntries[i]);
              this._m_dynamicEntries.push(new DynamicEntry(_io__raw__m_dynamicEntries, this, this._root, this._is_le));
            }
          } else {
            this._raw__m_dynamicEntries = [];
            this._m_dynamicEntries = [];
            for (var i = 0; i < this.regionEntriesInWindow; i++) {
              this._raw__m_dynamicEntries.push(io.readBytes(this._root.regionUnit));
              var _io__raw__m_dynamicEntries = new KaitaiStream(this._raw__m_dynamicEntries[i]);
              this._m_dynamicEntries.push(new DynamicEntry(_io__raw__m_dynamicEntries, this, this._root, this._is_le));
            }
          }
          io.seek(_pos);
        }
        return this._m_dynamicEntries;
      }
    });

    /**
     * The header of the section name table, read on its own so that the names do not depend on the window.
     */
    Object.defineProperty(FileHeader.prototype, 'namesSection', {
      get: function() {
        if (this._m_namesSection !== undefined)
          return this._m_namesSection;
        if ( ((this.shstrndx != 0) && (this.shstrndx < this.shnumInFile)) ) {
          var io = this._root._io;
          var _pos = io.pos;
          io.seek(this.eShoff.value + this.shstrndx * this.eShentsize);
          if (this._is_le) {
            this._raw__m_namesSection = io.readBytes(this.eShentsize);
            var _io__raw__m_namesSection = new KaitaiStream(this._raw__m_namesSection);
            this._m_namesSection = new SectionHeader(_io__raw__m_namesSection, this, this._root, this._is_le);
          } else {
            this._raw__m_namesSection = io.readBytes(this.eShentsize);
            var _io__raw__m_namesSection = new KaitaiStream(this._raw__m_namesSection);
            this._m_namesSection = new SectionHeader(_io__raw__m_namesSection, this, this._root, this._is_le);
          }
          io.seek(_pos);
        }
        return this._m_namesSection;
      }
    });

    /**
     * The Elf_Nhdr at region_pos (the same in both classes).
     */
    Object.defineProperty(FileHeader.prototype, 'noteHeader', {
      get: function() {
        if (this._m_noteHeader !== undefined)
          return this._m_noteHeader;
        var io = this._root._io;
        var _pos = io.pos;
        io.seek(this._root.regionPos);
        if (this._is_le) {
          this._raw__m_noteHeader = io.readBytes(this._root.regionUnit);
          var _io__raw__m_noteHeader = new KaitaiStream(this._raw__m_noteHeader);
          this._m_noteHeader = new NoteHeader(_io__raw__m_noteHeader, this, this._root, this._is_le);
        } else {
          this._raw__m_noteHeader = io.readBytes(this._root.regionUnit);
          var _io__raw__m_noteHeader = new KaitaiStream(this._raw__m_noteHeader);
          this._m_noteHeader = new NoteHeader(_io__raw__m_noteHeader, this, this._root, this._is_le);
        }
        io.seek(_pos);
        return this._m_noteHeader;
      }
    });
    Object.defineProperty(FileHeader.prototype, 'phdrTableStartsInFile', {
      get: function() {
        if (this._m_phdrTableStartsInFile !== undefined)
          return this._m_phdrTableStartsInFile;
        this._m_phdrTableStartsInFile =  ((this.ePhoff.value < this._root.fileSize) && (this.ePhentsize >= this._root.phdrSize)) ;
        return this._m_phdrTableStartsInFile;
      }
    });

    /**
     * Program header count, with PN_XNUM (0xffff) resolved through section 0's sh_info.
     */
    Object.defineProperty(FileHeader.prototype, 'phnum', {
      get: function() {
        if (this._m_phnum !== undefined)
          return this._m_phnum;
        this._m_phnum = ( ((this.ePhnum == 65535) && (this.sectionZeroReadable))  ? this.sectionZero.shInfo : this.ePhnum);
        return this._m_phnum;
      }
    });

    /**
     * How many whole program header entries lie inside the file.
     */
    Object.defineProperty(FileHeader.prototype, 'phnumInFile', {
      get: function() {
        if (this._m_phnumInFile !== undefined)
          return this._m_phnumInFile;
        this._m_phnumInFile = (this.phdrTableStartsInFile ? (Math.floor((this._root.fileSize - this.ePhoff.value) / this.ePhentsize) < this.phnum ? Math.floor((this._root.fileSize - this.ePhoff.value) / this.ePhentsize) : this.phnum) : 0);
        return this._m_phnumInFile;
      }
    });

    /**
     * How many of those entries program_headers holds, from entry table_first on.
     */
    Object.defineProperty(FileHeader.prototype, 'phnumInWindow', {
      get: function() {
        if (this._m_phnumInWindow !== undefined)
          return this._m_phnumInWindow;
        this._m_phnumInWindow = (this.phnumInFile > this._root.tableFirst ? (this.phnumInFile - this._root.tableFirst < this._root.tableWindow ? this.phnumInFile - this._root.tableFirst : this._root.tableWindow) : 0);
        return this._m_phnumInWindow;
      }
    });
    Object.defineProperty(FileHeader.prototype, 'programHeaders', {
      get: function() {
        if (this._m_programHeaders !== undefined)
          return this._m_programHeaders;
        if (this.phnumInWindow > 0) {
          var io = this._root._io;
          var _pos = io.pos;
          io.seek(this.ePhoff.value + this._root.tableFirst * this.ePhentsize);
          if (this._is_le) {
            this._raw__m_programHeaders = [];
            this._m_programHeaders = [];
            for (var i = 0; i < this.phnumInWindow; i++) {
              this._raw__m_programHeaders.push(io.readBytes(this.ePhentsize));
              var _io__raw__m_programHeaders = new KaitaiStream(this._raw__m_programHeaders[i]);
              this._m_programHeaders.push(new ProgramHeader(_io__raw__m_programHeaders, this, this._root, this._is_le));
            }
          } else {
            this._raw__m_programHeaders = [];
            this._m_programHeaders = [];
            for (var i = 0; i < this.phnumInWindow; i++) {
              this._raw__m_programHeaders.push(io.readBytes(this.ePhentsize));
              var _io__raw__m_programHeaders = new KaitaiStream(this._raw__m_programHeaders[i]);
              this._m_programHeaders.push(new ProgramHeader(_io__raw__m_programHeaders, this, this._root, this._is_le));
            }
          }
          io.seek(_pos);
        }
        return this._m_programHeaders;
      }
    });

    /**
     * How many whole entries of the region a table instance holds, from entry table_first on.
     */
    Object.defineProperty(FileHeader.prototype, 'regionEntriesInWindow', {
      get: function() {
        if (this._m_regionEntriesInWindow !== undefined)
          return this._m_regionEntriesInWindow;
        this._m_regionEntriesInWindow = (this._root.regionUnit == 0 ? 0 : (Math.floor(this._root.regionSize / this._root.regionUnit) > this._root.tableFirst ? (Math.floor(this._root.regionSize / this._root.regionUnit) - this._root.tableFirst < this._root.tableWindow ? Math.floor(this._root.regionSize / this._root.regionUnit) - this._root.tableFirst : this._root.tableWindow) : 0));
        return this._m_regionEntriesInWindow;
      }
    });
    Object.defineProperty(FileHeader.prototype, 'regionWindowPos', {
      get: function() {
        if (this._m_regionWindowPos !== undefined)
          return this._m_regionWindowPos;
        this._m_regionWindowPos = this._root.regionPos + this._root.tableFirst * this._root.regionUnit;
        return this._m_regionWindowPos;
      }
    });

    /**
     * Elf32_Rela or Elf64_Rela entries (SHT_RELA).
     */
    Object.defineProperty(FileHeader.prototype, 'relas', {
      get: function() {
        if (this._m_relas !== undefined)
          return this._m_relas;
        if (this.regionEntriesInWindow > 0) {
          var io = this._root._io;
          var _pos = io.pos;
          io.seek(this.regionWindowPos);
          if (this._is_le) {
            this._raw__m_relas = [];
            this._m_relas = [];
            for (var i = 0; i < this.regionEntriesInWindow; i++) {
              this._raw__m_relas.push(io.readBytes(this._root.regionUnit));
              var _io__raw__m_relas = new KaitaiStream(this._raw__m_relas[i]);
              this._m_relas.push(new Rela(_io__raw__m_relas, this, this._root, this._is_le));
            }
          } else {
            this._raw__m_relas = [];
            this._m_relas = [];
            for (var i = 0; i < this.regionEntriesInWindow; i++) {
              this._raw__m_relas.push(io.readBytes(this._root.regionUnit));
              var _io__raw__m_relas = new KaitaiStream(this._raw__m_relas[i]);
              this._m_relas.push(new Rela(_io__raw__m_relas, this, this._root, this._is_le));
            }
          }
          io.seek(_pos);
        }
        return this._m_relas;
      }
    });

    /**
     * Elf32_Rel or Elf64_Rel entries (SHT_REL).
     */
    Object.defineProperty(FileHeader.prototype, 'rels', {
      get: function() {
        if (this._m_rels !== undefined)
          return this._m_rels;
        if (this.regionEntriesInWindow > 0) {
          var io = this._root._io;
          var _pos = io.pos;
          io.seek(this.regionWindowPos);
          if (this._is_le) {
            this._raw__m_rels = [];
            this._m_rels = [];
            for (var i = 0; i < this.regionEntriesInWindow; i++) {
              this._raw__m_rels.push(io.readBytes(this._root.regionUnit));
              var _io__raw__m_rels = new KaitaiStream(this._raw__m_rels[i]);
              this._m_rels.push(new Rel(_io__raw__m_rels, this, this._root, this._is_le));
            }
          } else {
            this._raw__m_rels = [];
            this._m_rels = [];
            for (var i = 0; i < this.regionEntriesInWindow; i++) {
              this._raw__m_rels.push(io.readBytes(this._root.regionUnit));
              var _io__raw__m_rels = new KaitaiStream(this._raw__m_rels[i]);
              this._m_rels.push(new Rel(_io__raw__m_rels, this, this._root, this._is_le));
            }
          }
          io.seek(_pos);
        }
        return this._m_rels;
      }
    });
    Object.defineProperty(FileHeader.prototype, 'sectionHeaders', {
      get: function() {
        if (this._m_sectionHeaders !== undefined)
          return this._m_sectionHeaders;
        if (this.shnumInWindow > 0) {
          var io = this._root._io;
          var _pos = io.pos;
          io.seek(this.eShoff.value + this._root.tableFirst * this.eShentsize);
          if (this._is_le) {
            this._raw__m_sectionHeaders = [];
            this._m_sectionHeaders = [];
            for (var i = 0; i < this.shnumInWindow; i++) {
              this._raw__m_sectionHeaders.push(io.readBytes(this.eShentsize));
              var _io__raw__m_sectionHeaders = new KaitaiStream(this._raw__m_sectionHeaders[i]);
              this._m_sectionHeaders.push(new SectionHeader(_io__raw__m_sectionHeaders, this, this._root, this._is_le));
            }
          } else {
            this._raw__m_sectionHeaders = [];
            this._m_sectionHeaders = [];
            for (var i = 0; i < this.shnumInWindow; i++) {
              this._raw__m_sectionHeaders.push(io.readBytes(this.eShentsize));
              var _io__raw__m_sectionHeaders = new KaitaiStream(this._raw__m_sectionHeaders[i]);
              this._m_sectionHeaders.push(new SectionHeader(_io__raw__m_sectionHeaders, this, this._root, this._is_le));
            }
          }
          io.seek(_pos);
        }
        return this._m_sectionHeaders;
      }
    });

    /**
     * The section name string table (.shstrtab), when it lies inside the file.
     */
    Object.defineProperty(FileHeader.prototype, 'sectionNames', {
      get: function() {
        if (this._m_sectionNames !== undefined)
          return this._m_sectionNames;
        if (this.sectionNamesReadable) {
          var io = this._root._io;
          var _pos = io.pos;
          io.seek(this.namesSection.shOffset.value);
          if (this._is_le) {
            this._raw__m_sectionNames = io.readBytes(this.namesSection.shSize.value);
            var _io__raw__m_sectionNames = new KaitaiStream(this._raw__m_sectionNames);
            this._m_sectionNames = new StringTable(_io__raw__m_sectionNames, this, this._root, this._is_le);
          } else {
            this._raw__m_sectionNames = io.readBytes(this.namesSection.shSize.value);
            var _io__raw__m_sectionNames = new KaitaiStream(this._raw__m_sectionNames);
            this._m_sectionNames = new StringTable(_io__raw__m_sectionNames, this, this._root, this._is_le);
          }
          io.seek(_pos);
        }
        return this._m_sectionNames;
      }
    });
    Object.defineProperty(FileHeader.prototype, 'sectionNamesReadable', {
      get: function() {
        if (this._m_sectionNamesReadable !== undefined)
          return this._m_sectionNamesReadable;
        this._m_sectionNamesReadable =  ((this.shstrndx != 0) && (this.shstrndx < this.shnumInFile) && (this.namesSection.shType != 8) && (this.namesSection.shOffset.value <= this._root.fileSize) && (this.namesSection.shSize.value <= this._root.fileSize - this.namesSection.shOffset.value)) ;
        return this._m_sectionNamesReadable;
      }
    });

    /**
     * Section 0, which carries the real counts under extended numbering.
     */
    Object.defineProperty(FileHeader.prototype, 'sectionZero', {
      get: function() {
        if (this._m_sectionZero !== undefined)
          return this._m_sectionZero;
        if (this.sectionZeroReadable) {
          var io = this._root._io;
          var _pos = io.pos;
          io.seek(this.eShoff.value);
          if (this._is_le) {
            this._raw__m_sectionZero = io.readBytes(this._root.shdrSize);
            var _io__raw__m_sectionZero = new KaitaiStream(this._raw__m_sectionZero);
            this._m_sectionZero = new SectionHeader(_io__raw__m_sectionZero, this, this._root, this._is_le);
          } else {
            this._raw__m_sectionZero = io.readBytes(this._root.shdrSize);
            var _io__raw__m_sectionZero = new KaitaiStream(this._raw__m_sectionZero);
            this._m_sectionZero = new SectionHeader(_io__raw__m_sectionZero, this, this._root, this._is_le);
          }
          io.seek(_pos);
        }
        return this._m_sectionZero;
      }
    });
    Object.defineProperty(FileHeader.prototype, 'sectionZeroReadable', {
      get: function() {
        if (this._m_sectionZeroReadable !== undefined)
          return this._m_sectionZeroReadable;
        this._m_sectionZeroReadable =  ((this.eShoff.value != 0) && (this.eShentsize >= this._root.shdrSize) && (this.eShoff.value + this._root.shdrSize <= this._root.fileSize)) ;
        return this._m_sectionZeroReadable;
      }
    });
    Object.defineProperty(FileHeader.prototype, 'shdrTableStartsInFile', {
      get: function() {
        if (this._m_shdrTableStartsInFile !== undefined)
          return this._m_shdrTableStartsInFile;
        this._m_shdrTableStartsInFile =  ((this.eShoff.value != 0) && (this.eShoff.value < this._root.fileSize) && (this.eShentsize >= this._root.shdrSize)) ;
        return this._m_shdrTableStartsInFile;
      }
    });

    /**
     * Section header count; 0 in e_shnum with e_shoff set means section 0's sh_size holds it.
     */
    Object.defineProperty(FileHeader.prototype, 'shnum', {
      get: function() {
        if (this._m_shnum !== undefined)
          return this._m_shnum;
        this._m_shnum = (this.eShnum != 0 ? this.eShnum : ( ((this.sectionZeroReadable) && (this.sectionZero.shSize.hi == 0))  ? this.sectionZero.shSize.lo : 0));
        return this._m_shnum;
      }
    });

    /**
     * How many whole section header entries lie inside the file.
     */
    Object.defineProperty(FileHeader.prototype, 'shnumInFile', {
      get: function() {
        if (this._m_shnumInFile !== undefined)
          return this._m_shnumInFile;
        this._m_shnumInFile = (this.shdrTableStartsInFile ? (Math.floor((this._root.fileSize - this.eShoff.value) / this.eShentsize) < this.shnum ? Math.floor((this._root.fileSize - this.eShoff.value) / this.eShentsize) : this.shnum) : 0);
        return this._m_shnumInFile;
      }
    });

    /**
     * How many of those entries section_headers holds, from entry table_first on.
     */
    Object.defineProperty(FileHeader.prototype, 'shnumInWindow', {
      get: function() {
        if (this._m_shnumInWindow !== undefined)
          return this._m_shnumInWindow;
        this._m_shnumInWindow = (this.shnumInFile > this._root.tableFirst ? (this.shnumInFile - this._root.tableFirst < this._root.tableWindow ? this.shnumInFile - this._root.tableFirst : this._root.tableWindow) : 0);
        return this._m_shnumInWindow;
      }
    });

    /**
     * Section name table index, with SHN_XINDEX (0xffff) resolved through section 0's sh_link.
     */
    Object.defineProperty(FileHeader.prototype, 'shstrndx', {
      get: function() {
        if (this._m_shstrndx !== undefined)
          return this._m_shstrndx;
        this._m_shstrndx = ( ((this.eShstrndx == 65535) && (this.sectionZeroReadable))  ? this.sectionZero.shLink : this.eShstrndx);
        return this._m_shstrndx;
      }
    });

    /**
     * Elf32_Sym or Elf64_Sym entries (SHT_SYMTAB, SHT_DYNSYM).
     */
    Object.defineProperty(FileHeader.prototype, 'symbols', {
      get: function() {
        if (this._m_symbols !== undefined)
          return this._m_symbols;
        if (this.regionEntriesInWindow > 0) {
          var io = this._root._io;
          var _pos = io.pos;
          io.seek(this.regionWindowPos);
          if (this._is_le) {
            this._raw__m_symbols = [];
            this._m_symbols = [];
            for (var i = 0; i < this.regionEntriesInWindow; i++) {
              this._raw__m_symbols.push(io.readBytes(this._root.regionUnit));
              var _io__raw__m_symbols = new KaitaiStream(this._raw__m_symbols[i]);
              this._m_symbols.push(new Symbol(_io__raw__m_symbols, this, this._root, this._is_le));
            }
          } else {
            this._raw__m_symbols = [];
            this._m_symbols = [];
            for (var i = 0; i < this.regionEntriesInWindow; i++) {
              this._raw__m_symbols.push(io.readBytes(this._root.regionUnit));
              var _io__raw__m_symbols = new KaitaiStream(this._raw__m_symbols[i]);
              this._m_symbols.push(new Symbol(_io__raw__m_symbols, this, this._root, this._is_le));
            }
          }
          io.seek(_pos);
        }
        return this._m_symbols;
      }
    });

    /**
     * An array of 16-bit values (SHT_GNU_versym); region_unit is 2.
     */
    Object.defineProperty(FileHeader.prototype, 'u2Values', {
      get: function() {
        if (this._m_u2Values !== undefined)
          return this._m_u2Values;
        if (this.regionEntriesInWindow > 0) {
          var io = this._root._io;
          var _pos = io.pos;
          io.seek(this.regionWindowPos);
          if (this._is_le) {
            this._m_u2Values = [];
            for (var i = 0; i < this.regionEntriesInWindow; i++) {
              this._m_u2Values.push(io.readU2le());
            }
          } else {
            this._m_u2Values = [];
            for (var i = 0; i < this.regionEntriesInWindow; i++) {
              this._m_u2Values.push(io.readU2be());
            }
          }
          io.seek(_pos);
        }
        return this._m_u2Values;
      }
    });

    /**
     * An array of 32-bit values (SHT_SYMTAB_SHNDX, SHT_GROUP, SHT_HASH, SHT_GNU_HASH); region_unit is 4.
     */
    Object.defineProperty(FileHeader.prototype, 'u4Values', {
      get: function() {
        if (this._m_u4Values !== undefined)
          return this._m_u4Values;
        if (this.regionEntriesInWindow > 0) {
          var io = this._root._io;
          var _pos = io.pos;
          io.seek(this.regionWindowPos);
          if (this._is_le) {
            this._m_u4Values = [];
            for (var i = 0; i < this.regionEntriesInWindow; i++) {
              this._m_u4Values.push(io.readU4le());
            }
          } else {
            this._m_u4Values = [];
            for (var i = 0; i < this.regionEntriesInWindow; i++) {
              this._m_u4Values.push(io.readU4be());
            }
          }
          io.seek(_pos);
        }
        return this._m_u4Values;
      }
    });

    /**
     * The Elf_Verdaux at region_pos.
     */
    Object.defineProperty(FileHeader.prototype, 'verdaux', {
      get: function() {
        if (this._m_verdaux !== undefined)
          return this._m_verdaux;
        var io = this._root._io;
        var _pos = io.pos;
        io.seek(this._root.regionPos);
        if (this._is_le) {
          this._raw__m_verdaux = io.readBytes(this._root.regionUnit);
          var _io__raw__m_verdaux = new KaitaiStream(this._raw__m_verdaux);
          this._m_verdaux = new Verdaux(_io__raw__m_verdaux, this, this._root, this._is_le);
        } else {
          this._raw__m_verdaux = io.readBytes(this._root.regionUnit);
          var _io__raw__m_verdaux = new KaitaiStream(this._raw__m_verdaux);
          this._m_verdaux = new Verdaux(_io__raw__m_verdaux, this, this._root, this._is_le);
        }
        io.seek(_pos);
        return this._m_verdaux;
      }
    });

    /**
     * The Elf_Verdef at region_pos.
     */
    Object.defineProperty(FileHeader.prototype, 'verdef', {
      get: function() {
        if (this._m_verdef !== undefined)
          return this._m_verdef;
        var io = this._root._io;
        var _pos = io.pos;
        io.seek(this._root.regionPos);
        if (this._is_le) {
          this._raw__m_verdef = io.readBytes(this._root.regionUnit);
          var _io__raw__m_verdef = new KaitaiStream(this._raw__m_verdef);
          this._m_verdef = new Verdef(_io__raw__m_verdef, this, this._root, this._is_le);
        } else {
          this._raw__m_verdef = io.readBytes(this._root.regionUnit);
          var _io__raw__m_verdef = new KaitaiStream(this._raw__m_verdef);
          this._m_verdef = new Verdef(_io__raw__m_verdef, this, this._root, this._is_le);
        }
        io.seek(_pos);
        return this._m_verdef;
      }
    });

    /**
     * The Elf_Vernaux at region_pos.
     */
    Object.defineProperty(FileHeader.prototype, 'vernaux', {
      get: function() {
        if (this._m_vernaux !== undefined)
          return this._m_vernaux;
        var io = this._root._io;
        var _pos = io.pos;
        io.seek(this._root.regionPos);
        if (this._is_le) {
          this._raw__m_vernaux = io.readBytes(this._root.regionUnit);
          var _io__raw__m_vernaux = new KaitaiStream(this._raw__m_vernaux);
          this._m_vernaux = new Vernaux(_io__raw__m_vernaux, this, this._root, this._is_le);
        } else {
          this._raw__m_vernaux = io.readBytes(this._root.regionUnit);
          var _io__raw__m_vernaux = new KaitaiStream(this._raw__m_vernaux);
          this._m_vernaux = new Vernaux(_io__raw__m_vernaux, this, this._root, this._is_le);
        }
        io.seek(_pos);
        return this._m_vernaux;
      }
    });

    /**
     * The Elf_Verneed at region_pos.
     */
    Object.defineProperty(FileHeader.prototype, 'verneed', {
      get: function() {
        if (this._m_verneed !== undefined)
          return this._m_verneed;
        var io = this._root._io;
        var _pos = io.pos;
        io.seek(this._root.regionPos);
        if (this._is_le) {
          this._raw__m_verneed = io.readBytes(this._root.regionUnit);
          var _io__raw__m_verneed = new KaitaiStream(this._raw__m_verneed);
          this._m_verneed = new Verneed(_io__raw__m_verneed, this, this._root, this._is_le);
        } else {
          this._raw__m_verneed = io.readBytes(this._root.regionUnit);
          var _io__raw__m_verneed = new KaitaiStream(this._raw__m_verneed);
          this._m_verneed = new Verneed(_io__raw__m_verneed, this, this._root, this._is_le);
        }
        io.seek(_pos);
        return this._m_verneed;
      }
    });

    /**
     * An array of words of the class (SHT_RELR, the GNU hash Bloom filter, 8-byte SHT_HASH); region_unit is the word size.
     */
    Object.defineProperty(FileHeader.prototype, 'wordValues', {
      get: function() {
        if (this._m_wordValues !== undefined)
          return this._m_wordValues;
        if (this.regionEntriesInWindow > 0) {
          var io = this._root._io;
          var _pos = io.pos;
          io.seek(this.regionWindowPos);
          if (this._is_le) {
            this._m_wordValues = [];
            for (var i = 0; i < this.regionEntriesInWindow; i++) {
              this._m_wordValues.push(new Word(io, this, this._root, this._is_le));
            }
          } else {
            this._m_wordValues = [];
            for (var i = 0; i < this.regionEntriesInWindow; i++) {
              this._m_wordValues.push(new Word(io, this, this._root, this._is_le));
            }
          }
          io.seek(_pos);
        }
        return this._m_wordValues;
      }
    });

    return FileHeader;
  })();

  /**
   * e_ident, the 16 bytes whose layout does not depend on class or byte order.
   */

  var Identification = Elf.Identification = (function() {
    function Identification(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    Identification.prototype._read = function() {
      this.magic = this._io.readBytes(4);
      if (!((KaitaiStream.byteArrayCompare(this.magic, new Uint8Array([127, 69, 76, 70])) == 0))) {
        throw new KaitaiStream.ValidationNotEqualError(new Uint8Array([127, 69, 76, 70]), this.magic, this._io, "/types/identification/seq/0");
      }
      this.fileClass = this._io.readU1();
      this.data = this._io.readU1();
      this.version = this._io.readU1();
      this.osAbi = this._io.readU1();
      this.abiVersion = this._io.readU1();
      this.pad = this._io.readBytes(7);
    }

    return Identification;
  })();
  Object.defineProperty(Elf.prototype, 'bigEndian', {
    get: function() {
      if (this._m_bigEndian !== undefined)
        return this._m_bigEndian;
      this._m_bigEndian = (this.readOrder != 0 ? this.readOrder == 2 : this.ident.data == 2);
      return this._m_bigEndian;
    }
  });
  Object.defineProperty(Elf.prototype, 'dynSize', {
    get: function() {
      if (this._m_dynSize !== undefined)
        return this._m_dynSize;
      this._m_dynSize = (this.is64 ? 16 : 8);
      return this._m_dynSize;
    }
  });
  Object.defineProperty(Elf.prototype, 'is64', {
    get: function() {
      if (this._m_is64 !== undefined)
        return this._m_is64;
      this._m_is64 = (this.readClass != 0 ? this.readClass == 2 : this.ident.fileClass != 1);
      return this._m_is64;
    }
  });
  Object.defineProperty(Elf.prototype, 'phdrSize', {
    get: function() {
      if (this._m_phdrSize !== undefined)
        return this._m_phdrSize;
      this._m_phdrSize = (this.is64 ? 56 : 32);
      return this._m_phdrSize;
    }
  });
  Object.defineProperty(Elf.prototype, 'shdrSize', {
    get: function() {
      if (this._m_shdrSize !== undefined)
        return this._m_shdrSize;
      this._m_shdrSize = (this.is64 ? 64 : 40);
      return this._m_shdrSize;
    }
  });

  /**
   * Size of the file on disk, exact below 2^53; may be smaller than the stream.
   */

  /**
   * 0 reads the class EI_CLASS declares; 1 forces ELF32, 2 forces ELF64.
   */

  /**
   * 0 reads the byte order EI_DATA declares; 1 forces little-endian, 2 big-endian.
   */

  /**
   * Index of the first entry that program_headers and section_headers hold.
   */

  /**
   * The most entries program_headers and section_headers hold (from table_first on).
   */

  /**
   * File offset of the contents region a content instance reads.
   */

  /**
   * Bytes of the region that lie inside the file (the caller clips it).
   */

  /**
   * Size of one entry of a region table, or of the one structure read at region_pos.
   */

  return Elf;
})();
Elf_.Elf = Elf;
});
