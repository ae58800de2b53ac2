"""An independent check of the published assignment vectors (Python 3, standard library only):
the seed, the ChaCha20 keystream (RFC 8439, zero nonce), rejection sampling, Fisher-Yates and the
redraw seeds, written from docs/assignment.md without the Rust code. Run: python3 check_assignment.py"""
import json, hashlib, struct, os
def rotl(v,c): return ((v<<c)&0xffffffff)|(v>>(32-c))
def qr(s,a,b,c,d):
    s[a]=(s[a]+s[b])&0xffffffff; s[d]=rotl(s[d]^s[a],16)
    s[c]=(s[c]+s[d])&0xffffffff; s[b]=rotl(s[b]^s[c],12)
    s[a]=(s[a]+s[b])&0xffffffff; s[d]=rotl(s[d]^s[a],8)
    s[c]=(s[c]+s[d])&0xffffffff; s[b]=rotl(s[b]^s[c],7)
def block(key,counter,nonce=b'\0'*12):
    st=[0x61707865,0x3320646e,0x79622d32,0x6b206574]+list(struct.unpack('<8I',key))+[counter]+list(struct.unpack('<3I',nonce))
    w=st[:]
    for _ in range(10):
        qr(w,0,4,8,12);qr(w,1,5,9,13);qr(w,2,6,10,14);qr(w,3,7,11,15)
        qr(w,0,5,10,15);qr(w,1,6,11,12);qr(w,2,7,8,13);qr(w,3,4,9,14)
    return struct.pack('<16I',*[(a+b)&0xffffffff for a,b in zip(w,st)])
class KS:
    def __init__(s,key): s.key=key; s.c=0; s.buf=b''
    def u32(s):
        while len(s.buf)<4: s.buf+=block(s.key,s.c); s.c+=1
        v=struct.unpack('<I',s.buf[:4])[0]; s.buf=s.buf[4:]; return v
    def below(s,n):
        zone=(1<<32)-((1<<32)%n)
        while True:
            x=s.u32()
            if x<zone: return x%n
def shuffle(seed,n):
    ks=KS(seed); o=list(range(n))
    for i in range(n-1,0,-1):
        j=ks.below(i+1); o[i],o[j]=o[j],o[i]
    return o
for v in json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'assignment.json'))):
    inp={"tag":"thidua-assignment/v1","year":v["year"],"cluster":v["cluster"],"members":v["members"],
         "reveals":[{"unit":m,"value":r if r else "0"*64} for m,r in zip(v["members"],v["reveals"])]}
    if v.get("beacon"): inp["beacon"]=v["beacon"]
    seed=hashlib.sha256(json.dumps(inp,sort_keys=True,separators=(',',':'),ensure_ascii=False).encode()).digest()
    assert seed.hex()==v["seed"], v["name"]
    ks=KS(seed); first=b''.join(struct.pack('<I',ks.u32()) for _ in range(8))
    assert first.hex()==v["keystream_first_32"], v["name"]
    sh=[v["members"][i] for i in shuffle(seed,len(v["members"]))]
    assert sh==v["first_shuffle"], (v["name"],sh)
    if v["redraws"]==0 and not v["infeasible"]:
        assert v["order"]==sh
    # redraw seeds
    if v["order"] and not v["searched"]:
        r=v["redraws"]
        s=seed if r==0 else hashlib.sha256(b"thidua-redraw/v1"+seed+struct.pack('>I',r)).digest()
        assert [v["members"][i] for i in shuffle(s,len(v["members"]))]==v["order"], v["name"]
    print("ok", v["name"])
# RFC 8439 2.3.2
k=bytes(range(32)); print(block(k,1,bytes.fromhex('000000090000004a00000000')).hex()[:32])
